using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Query.Tiering.Layout;

namespace Query.Tiering.Tests;

/// <summary>
/// A column layout for tests with its own deterministic value format (a presence byte per value, then the
/// value), covering every cold type. Rows with fewer columns than the layout (written before an ADD COLUMN)
/// decode with trailing NULLs and report that they cannot be re-encoded exactly.
/// </summary>
internal sealed class TestLayout : IColumnLayout
{
    public static readonly IReadOnlyList<ColdColumn> AllTypes =
    [
        new("Id", ColdType.Int64),
        new("Name", ColdType.String),
        new("Qty", ColdType.Int32),
        new("Price", new ColdDecimalType(12, 2)),
        new("Ratio", ColdType.Double),
        new("Flag", ColdType.Boolean),
        new("Blob", ColdType.Bytes),
        new("Ts", ColdType.Timestamp),
        new("Day", ColdType.Date),
        new("TimeOfDay", ColdType.Time),
        new("Tags", new ColdListType(ColdType.Int32)),
        new("Attrs", new ColdMapType(ColdType.String, ColdType.Double)),
        new("Address", new ColdStructType([new("City", ColdType.String), new("Zip", ColdType.Int32)])),
        new("Matrix", new ColdListType(new ColdListType(ColdType.String))),
    ];

    private readonly bool _decodeRanges;

    // decodeRanges: whether TryDecodeRanges returns top-level STRING and BYTES values as ranges of the value
    // bytes (as the engine's layout does); false leaves it to the interface's default (strings and arrays).
    public TestLayout(IReadOnlyList<ColdColumn> columns, int schemaVersion = 1, bool decodeRanges = true)
    {
        Columns = columns;
        SchemaVersion = schemaVersion;
        _decodeRanges = decodeRanges;
    }

    public IReadOnlyList<ColdColumn> Columns { get; }
    public string SchemaText => string.Join(", ", Columns.Select(c => c.Name + " " + c.Type.Kind));
    public int SchemaVersion { get; }

    public bool TryDecode(ReadOnlySpan<byte> value, Span<ColdValue> row) => TryDecode(value, row, ranges: false);

    public bool TryDecodeRanges(ReadOnlySpan<byte> value, Span<ColdValue> row) =>
        TryDecode(value, row, ranges: _decodeRanges);

    private bool TryDecode(ReadOnlySpan<byte> value, Span<ColdValue> row, bool ranges)
    {
        try
        {
            return Decode(value, row, ranges);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new FormatException("truncated value", e);
        }
    }

    private bool Decode(ReadOnlySpan<byte> value, Span<ColdValue> row, bool ranges)
    {
        var count = BinaryPrimitives.ReadUInt16LittleEndian(value);
        var position = 2;
        for (var i = 0; i < row.Length; i++)
        {
            var type = Columns[i].Type;
            if (i >= count)
                row[i] = ColdValue.Null;
            else if (ranges && type.Kind is ColdTypeKind.String or ColdTypeKind.Bytes)
                row[i] = ReadRange(value, ref position);
            else
                row[i] = Read(type, value, ref position);
        }
        if (position != value.Length)
            throw new FormatException("trailing bytes");
        return count == row.Length;
    }

    public void Encode(ReadOnlySpan<ColdValue> row, IBufferWriter<byte> value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(value.GetSpan(2), (ushort)row.Length);
        value.Advance(2);
        for (var i = 0; i < row.Length; i++)
            Write(Columns[i].Type, row[i], value);
    }

    public static byte[] EncodeRow(IReadOnlyList<ColdColumn> columns, ColdValue[] row)
    {
        var writer = new ArrayBufferWriter<byte>();
        new TestLayout(columns).Encode(row, writer);
        return writer.WrittenSpan.ToArray();
    }

    private static void Write(ColdType type, in ColdValue v, IBufferWriter<byte> w)
    {
        Put(w, [v.IsNull ? (byte)0 : (byte)1]);
        if (v.IsNull)
            return;
        switch (type)
        {
            case ColdDecimalType:
                var bits = decimal.GetBits(v.Decimal);
                foreach (var b in bits)
                    PutInt(w, b);
                return;
            case ColdListType list:
                var items = (IReadOnlyList<ColdValue>)v.Ref!;
                PutInt(w, items.Count);
                foreach (var item in items)
                    Write(list.Element, item, w);
                return;
            case ColdMapType map:
                var entries = (IReadOnlyList<KeyValuePair<ColdValue, ColdValue>>)v.Ref!;
                PutInt(w, entries.Count);
                foreach (var e in entries)
                {
                    Write(map.Key, e.Key, w);
                    Write(map.Value, e.Value, w);
                }
                return;
            case ColdStructType st:
                var fields = (ColdValue[])v.Ref!;
                for (var i = 0; i < st.Fields.Count; i++)
                    Write(st.Fields[i].Type, fields[i], w);
                return;
        }
        switch (type.Kind)
        {
            case ColdTypeKind.String:
                var text = Encoding.UTF8.GetBytes((string)v.Ref!);
                PutInt(w, text.Length);
                Put(w, text);
                return;
            case ColdTypeKind.Bytes:
                var bytes = (byte[])v.Ref!;
                PutInt(w, bytes.Length);
                Put(w, bytes);
                return;
            default:
                var span = w.GetSpan(8);
                BinaryPrimitives.WriteInt64LittleEndian(span, v.Bits);
                w.Advance(8);
                return;
        }
    }

    private static ColdValue ReadRange(ReadOnlySpan<byte> s, ref int p)
    {
        if (s[p++] == 0)
            return ColdValue.Null;
        var length = GetInt(s, ref p);
        if (p + length > s.Length)
            throw new ArgumentOutOfRangeException(nameof(s), "truncated value");
        var range = ColdValue.FromValueRange(p, length);
        p += length;
        return range;
    }

    private static ColdValue Read(ColdType type, ReadOnlySpan<byte> s, ref int p)
    {
        if (s[p++] == 0)
            return ColdValue.Null;
        switch (type)
        {
            case ColdDecimalType:
                var bits = new int[4];
                for (var i = 0; i < 4; i++)
                    bits[i] = GetInt(s, ref p);
                return ColdValue.FromDecimal(new decimal(bits));
            case ColdListType list:
                var items = new ColdValue[GetInt(s, ref p)];
                for (var i = 0; i < items.Length; i++)
                    items[i] = Read(list.Element, s, ref p);
                return ColdValue.FromRef(items);
            case ColdMapType map:
                var entries = new KeyValuePair<ColdValue, ColdValue>[GetInt(s, ref p)];
                for (var i = 0; i < entries.Length; i++)
                {
                    var key = Read(map.Key, s, ref p);
                    entries[i] = new(key, Read(map.Value, s, ref p));
                }
                return ColdValue.FromRef(entries);
            case ColdStructType st:
                var fields = new ColdValue[st.Fields.Count];
                for (var i = 0; i < fields.Length; i++)
                    fields[i] = Read(st.Fields[i].Type, s, ref p);
                return ColdValue.FromRef(fields);
        }
        switch (type.Kind)
        {
            case ColdTypeKind.String:
                var n = GetInt(s, ref p);
                var text = Encoding.UTF8.GetString(s.Slice(p, n));
                p += n;
                return ColdValue.FromRef(text);
            case ColdTypeKind.Bytes:
                var m = GetInt(s, ref p);
                var bytes = s.Slice(p, m).ToArray();
                p += m;
                return ColdValue.FromRef(bytes);
            default:
                var bits64 = BinaryPrimitives.ReadInt64LittleEndian(s[p..]);
                p += 8;
                return ColdValue.FromInt64(bits64);
        }
    }

    private static void Put(IBufferWriter<byte> w, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(w.GetSpan(bytes.Length));
        w.Advance(bytes.Length);
    }

    private static void PutInt(IBufferWriter<byte> w, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(w.GetSpan(4), value);
        w.Advance(4);
    }

    private static int GetInt(ReadOnlySpan<byte> s, ref int p)
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(s[p..]);
        p += 4;
        return value;
    }
}
