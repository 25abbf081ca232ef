namespace Query.Tiering.Parquet.Pages;

/// <summary>
/// A reader of Thrift's compact protocol over a span, enough for Parquet page headers: field headers, zigzag
/// varints, and skipping any field it is not asked for. Every read is bounds-checked; malformed or truncated
/// input makes the reads answer false instead of throwing, so the caller can fall back.
/// </summary>
internal ref struct ThriftCompactReader(ReadOnlySpan<byte> bytes)
{
    public const int Stop = 0;
    public const int BooleanTrue = 1;
    public const int BooleanFalse = 2;
    public const int Byte = 3;
    public const int I16 = 4;
    public const int I32 = 5;
    public const int I64 = 6;
    public const int Double = 7;
    public const int Binary = 8;
    public const int List = 9;
    public const int Set = 10;
    public const int Map = 11;
    public const int Struct = 12;

    private const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _depth;

    public int Position { get; private set; }

    public bool Failed { get; private set; }

    public delegate bool FieldReader<TState>(ref ThriftCompactReader reader, ref TState state, short id, int type);

    /// <summary>Reads the fields of a struct up to its stop byte, handing each to <paramref name="field"/>.</summary>
    public bool ReadStruct<TState>(ref TState state, FieldReader<TState> field)
    {
        if (++_depth > MaxDepth)
            return Fail();
        short id = 0;
        while (!Failed)
        {
            var header = ReadByte();
            if (header == Stop)
                break;
            var delta = header >> 4;
            id = delta != 0 ? (short)(id + delta) : (short)ReadZigZag();
            if (!field(ref this, ref state, id, header & 0x0F))
                return Fail();
        }
        _depth--;
        return !Failed;
    }

    public int ReadInt32() => (int)ReadZigZag();

    /// <summary>Steps over one value of compact type <paramref name="type"/>.</summary>
    public bool Skip(int type)
    {
        switch (type)
        {
            case BooleanTrue or BooleanFalse:
                return true;
            case Byte:
                ReadByte();
                break;
            case I16 or I32 or I64:
                ReadVarint();
                break;
            case Double:
                Advance(8);
                break;
            case Binary:
                Advance(checked((int)ReadVarint()));
                break;
            case List or Set:
                SkipList();
                break;
            case Map:
                SkipMap();
                break;
            case Struct:
                var unused = 0;
                ReadStruct(ref unused, static (ref ThriftCompactReader r, ref int _, short _, int t) => r.Skip(t));
                break;
            default:
                return Fail();
        }
        return !Failed;
    }

    private void SkipList()
    {
        var header = ReadByte();
        var size = header >> 4;
        if (size == 15)
            size = checked((int)ReadVarint());
        var element = header & 0x0F;
        for (var i = 0; i < size && !Failed; i++)
        {
            if (element is BooleanTrue or BooleanFalse)
                ReadByte();             // a boolean element is one byte, unlike a boolean field
            else
                Skip(element);
        }
    }

    private void SkipMap()
    {
        var size = checked((int)ReadVarint());
        if (size == 0)
            return;
        var types = ReadByte();
        for (var i = 0; i < size && !Failed; i++)
        {
            Skip(types >> 4);
            Skip(types & 0x0F);
        }
    }

    private long ReadZigZag()
    {
        var raw = ReadVarint();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    private ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64 && !Failed; shift += 7)
        {
            var b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return result;
        }
        Fail();
        return 0;
    }

    private int ReadByte()
    {
        if (Position >= _bytes.Length)
        {
            Fail();
            return 0;
        }
        return _bytes[Position++];
    }

    private void Advance(int count)
    {
        if (count < 0 || _bytes.Length - Position < count)
            Fail();
        else
            Position += count;
    }

    private bool Fail()
    {
        Failed = true;
        return false;
    }
}
