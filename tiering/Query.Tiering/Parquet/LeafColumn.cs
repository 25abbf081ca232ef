using Parquet;
using Parquet.Schema;
using Query.Tiering.Parquet.Pages;
using Query.Tiering.Layout;

namespace Query.Tiering.Parquet;

/// <summary>
/// The buffers of one Parquet leaf column for one row group: dense values (NULLs are only a definition
/// level) plus definition and repetition levels, filled by the shredder and written in one call; on the read
/// side filled in one call and consumed by the assembler. Reused across row groups.
/// </summary>
internal abstract class LeafColumn
{
    private int[] _definitions = new int[1024];
    private int[] _repetitions;
    private int _levelCount;
    private int _levelPosition;

    protected LeafColumn(DataField field, int maxDefinition)
    {
        Field = field;
        MaxDefinition = maxDefinition;
        IsRepeated = field.MaxRepetitionLevel > 0;
        _repetitions = IsRepeated ? new int[1024] : [];
    }

    public DataField Field { get; }
    public int MaxDefinition { get; }
    public bool IsRepeated { get; }

    /// <summary>Rough uncompressed bytes buffered so far (row groups are cut by it as well as by rows).</summary>
    public long BufferedBytes { get; protected set; }

    protected ReadOnlyMemory<int> Definitions => _definitions.AsMemory(0, _levelCount);
    protected ReadOnlyMemory<int>? Repetitions => IsRepeated ? _repetitions.AsMemory(0, _levelCount) : null;

    public void AddLevels(int definition, int repetition)
    {
        if (_levelCount == _definitions.Length)
        {
            Array.Resize(ref _definitions, _levelCount * 2);
            if (IsRepeated)
                Array.Resize(ref _repetitions, _levelCount * 2);
        }
        _definitions[_levelCount] = definition;
        if (IsRepeated)
            _repetitions[_levelCount] = repetition;
        _levelCount++;
    }

    public abstract void AddValue(in ColdValue value);

    /// <summary>Adds a STRING value from its UTF-8 bytes, or a BYTES value, copied into the leaf's arena.</summary>
    public abstract void AddBytes(ReadOnlySpan<byte> bytes);

    /// <summary>
    /// Appends every level entry and value that <paramref name="source"/> (a leaf of the same field) holds after a
    /// read: compaction copies a row group column by column, so values cross without being assembled into rows.
    /// </summary>
    public abstract void AppendFrom(LeafColumn source);

    protected void AppendLevels(LeafColumn source)
    {
        var count = source._levelCount;
        if (_definitions.Length < _levelCount + count)
        {
            var size = Math.Max(_definitions.Length * 2, _levelCount + count);
            Array.Resize(ref _definitions, size);
            if (IsRepeated)
                Array.Resize(ref _repetitions, size);
        }
        Array.Copy(source._definitions, 0, _definitions, _levelCount, count);
        if (IsRepeated)
            Array.Copy(source._repetitions, 0, _repetitions, _levelCount, count);
        _levelCount += count;
    }

    /// <summary>How many of the read level entries carry a value (the values are dense).</summary>
    protected int DefinedCount()
    {
        var defined = 0;
        foreach (var definition in _definitions.AsSpan(0, _levelCount))
        {
            if (definition == MaxDefinition)
                defined++;
        }
        return defined;
    }

    public abstract Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken);

    public virtual void Clear()
    {
        _levelCount = 0;
        _levelPosition = 0;
        BufferedBytes = 0;
    }

    /// <summary>Reads this column of <paramref name="rowGroup"/> into the buffers and rewinds them: with the own
    /// page decoder (<paramref name="chunks"/>) when it handles the chunk, else with Parquet.Net.</summary>
    public async ValueTask ReadAsync(ParquetRowGroupReader rowGroup, ColdChunkReader? chunks,
        CancellationToken cancellationToken)
    {
        // Counters only: the read overwrites the values, so clearing them first (Clear) would be wasted work.
        _levelCount = 0;
        _levelPosition = 0;
        BufferedBytes = 0;
        if (chunks is not null && !IsRepeated && TryDecode(chunks, rowGroup, out var rows))
        {
            if (MaxDefinition == 0)
            {
                if (_definitions.Length < rows)
                    _definitions = new int[rows];
                _definitions.AsSpan(0, rows).Clear();
            }
            _levelCount = rows;
            return;
        }
        var levels = checked((int)(rowGroup.GetMetadata(Field)?.MetaData?.NumValues ?? 0));
        if (_definitions.Length < levels)
            _definitions = new int[levels];
        if (_repetitions.Length < levels)
            _repetitions = new int[levels];        // the library asks for it even for flat columns
        _levelCount = levels;
        await ReadValuesAsync(rowGroup, levels, _definitions.AsMemory(0, levels), _repetitions.AsMemory(0, levels),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the chunk with the own decoder; false (nothing changed that matters) when it declines.
    /// </summary>
    protected abstract bool TryDecode(ColdChunkReader chunks, ParquetRowGroupReader rowGroup, out int rows);

    /// <summary>The definition level buffer, for decoders that fill it.</summary>
    protected ref int[] DefinitionBuffer => ref _definitions;

    protected abstract ValueTask ReadValuesAsync(ParquetRowGroupReader rowGroup, int levels, Memory<int> definitions,
        Memory<int>? repetitions, CancellationToken cancellationToken);

    public int PeekDefinition => _definitions[_levelPosition];

    /// <summary>Repetition level of the next entry; 0 (a new row) past the end.</summary>
    public int PeekRepetition => _levelPosition < _levelCount && IsRepeated ? _repetitions[_levelPosition] : 0;

    /// <summary>Consumes one level entry; the value when it is defined at the leaf, else NULL.</summary>
    public ColdValue Take()
    {
        var defined = _definitions[_levelPosition++] == MaxDefinition;
        return defined ? TakeValue() : ColdValue.Null;
    }

    /// <summary>Consumes one level entry that stands for a NULL or empty ancestor.</summary>
    public void Skip() => _levelPosition++;

    /// <summary>
    /// Consumes every level entry (and value) of the current row without converting a value: a row the reader
    /// leaves out costs a few increments, not the strings and arrays its values would become.
    /// </summary>
    public void SkipRow()
    {
        do
        {
            if (_definitions[_levelPosition++] == MaxDefinition)
                SkipValue();
        }
        while (IsRepeated && _levelPosition < _levelCount && _repetitions[_levelPosition] != 0);
    }

    /// <summary>Consumes the next <paramref name="rows"/> rows: a flat column by counting its values, a repeated
    /// one row by row.</summary>
    public void SkipRows(int rows)
    {
        if (IsRepeated)
        {
            for (var i = 0; i < rows; i++)
                SkipRow();
            return;
        }
        var defined = _definitions.AsSpan(_levelPosition, rows).Count(MaxDefinition);
        _levelPosition += rows;
        SkipValues(defined);
    }

    /// <summary>The definition levels read for the loaded row group (one per row for a flat column).</summary>
    public ReadOnlySpan<int> LoadedDefinitions => _definitions.AsSpan(0, _levelCount);

    protected abstract ColdValue TakeValue();

    protected abstract void SkipValue();

    protected abstract void SkipValues(int count);
}

/// <summary>A leaf whose Parquet values are <typeparamref name="T"/>, converted from and to cold values.</summary>
internal sealed class LeafColumn<T> : LeafColumn
    where T : struct
{
    public delegate T FromCold(in ColdValue value);

    private readonly FromCold _fromCold;
    private readonly Func<T, ColdValue> _toCold;
    private readonly int _fixedBytes;
    private T[] _values = new T[1024];
    private ValueArena<char>? _chars;
    private ValueArena<byte>? _bytes;
    private ValueArenas? _readArenas;       // text and bytes the own decoder read, until the next read
    private readonly DictionaryCodes<T>? _codes =
        typeof(T) == typeof(ReadOnlyMemory<char>) ? new DictionaryCodes<T>() : null;
    private int _valueCount;
    private int _valuePosition;

    public LeafColumn(DataField field, int maxDefinition, FromCold fromCold, Func<T, ColdValue> toCold,
        int fixedBytes) : base(field, maxDefinition)
    {
        _fromCold = fromCold;
        _toCold = toCold;
        _fixedBytes = fixedBytes;
    }

    public override void AddValue(in ColdValue value)
    {
        if (_valueCount == _values.Length)
            Array.Resize(ref _values, _valueCount * 2);
        var converted = _fromCold(value);
        _values[_valueCount++] = converted;
        BufferedBytes += _fixedBytes > 0 ? _fixedBytes : VariableBytes(converted);
    }

    /// <summary>
    /// Adds a STRING value from its UTF-8 bytes or a BYTES value from its bytes (by this leaf's type), copied
    /// into the leaf's arena: no string or array per value. Decodes as <see cref="System.Text.Encoding.UTF8"/>'s
    /// GetString does.
    /// </summary>
    public override void AddBytes(ReadOnlySpan<byte> bytes)
    {
        if (_valueCount == _values.Length)
            Array.Resize(ref _values, _valueCount * 2);
        if (typeof(T) == typeof(ReadOnlyMemory<char>))
        {
            _chars ??= new ValueArena<char>();
            var room = _chars.Reserve(System.Text.Encoding.UTF8.GetMaxCharCount(bytes.Length));
            var text = _chars.Commit(System.Text.Encoding.UTF8.GetChars(bytes, room));
            _values[_valueCount++] = (T)(object)text;
            BufferedBytes += text.Length;
        }
        else if (typeof(T) == typeof(ReadOnlyMemory<byte>))
        {
            _bytes ??= new ValueArena<byte>();
            _values[_valueCount++] = (T)(object)_bytes.Copy(bytes);
            BufferedBytes += bytes.Length;
        }
        else
        {
            throw new InvalidOperationException($"{Field.Path} holds neither text nor bytes");
        }
    }

    public override void AppendFrom(LeafColumn source)
    {
        var other = (LeafColumn<T>)source;
        var count = other.DefinedCount();
        if (_values.Length < _valueCount + count)
            Array.Resize(ref _values, Math.Max(_values.Length * 2, _valueCount + count));
        var from = other._values.AsSpan(0, count);
        var to = _values.AsSpan(_valueCount, count);
        for (var i = 0; i < count; i++)
        {
            // Text and bytes may be views of the library's read buffers, which the next read reuses: own them.
            to[i] = Own(from[i]);
            BufferedBytes += _fixedBytes > 0 ? _fixedBytes : VariableBytes(to[i]);
        }
        _valueCount += count;
        AppendLevels(other);
    }

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken) =>
        rowGroup.WriteAllPartsAsync<T>(Field, _values.AsMemory(0, _valueCount), Definitions, Repetitions,
            cancellationToken);

    public override void Clear()
    {
        base.Clear();
        if (!typeof(T).IsPrimitive)
            Array.Clear(_values, 0, _valueCount);     // drop references to strings and byte arrays
        _chars?.Reset();
        _bytes?.Reset();
        _valueCount = 0;
        _valuePosition = 0;
    }

    protected override ValueTask ReadValuesAsync(ParquetRowGroupReader rowGroup, int levels, Memory<int> definitions,
        Memory<int>? repetitions, CancellationToken cancellationToken)
    {
        _codes?.Clear();
        if (_values.Length < levels)
            _values = new T[levels];
        _valueCount = levels;
        _valuePosition = 0;
        return rowGroup.ReadRawAsync<T>(Field, _values.AsMemory(0, levels), definitions, repetitions,
            cancellationToken);
    }

    protected override bool TryDecode(ColdChunkReader chunks, ParquetRowGroupReader rowGroup, out int rows)
    {
        _readArenas ??= new ValueArenas();
        if (!chunks.TryRead(rowGroup, Field, MaxDefinition, ref DefinitionBuffer, ref _values, _readArenas, out rows,
            out var values, _codes))
        {
            _codes?.Clear();
            return false;
        }
        _valueCount = values;
        _valuePosition = 0;
        return true;
    }

    protected override ColdValue TakeValue() => _toCold(_values[_valuePosition++]);

    protected override void SkipValue() => _valuePosition++;

    protected override void SkipValues(int count) => _valuePosition += count;

    /// <summary>The loaded row group's values as a dictionary and indexes, when the own decoder read a STRING chunk
    /// whose pages were all dictionary-encoded; null otherwise.</summary>
    public DictionaryCodes<T>? LoadedCodes => _codes is { IsComplete: true } ? _codes : null;

    /// <summary>The values read for the loaded row group, dense (NULLs have no value, only a level).</summary>
    public ReadOnlySpan<T> LoadedValues => _values.AsSpan(0, _valueCount);

    /// <summary>The array behind <see cref="LoadedValues"/> (overwritten by the next read).</summary>
    public T[] LoadedArray => _values;

    private static T Own(T value)
    {
        if (typeof(T) == typeof(ReadOnlyMemory<byte>))
        {
            var bytes = (ReadOnlyMemory<byte>)(object)value;
            return (T)(object)new ReadOnlyMemory<byte>(bytes.ToArray());
        }
        if (typeof(T) == typeof(ReadOnlyMemory<char>))
        {
            var text = (ReadOnlyMemory<char>)(object)value;
            return (T)(object)text.ToString().AsMemory();
        }
        return value;
    }

    private static long VariableBytes(T value) => value switch
    {
        ReadOnlyMemory<char> text => text.Length,
        ReadOnlyMemory<byte> bytes => bytes.Length,
        _ => 16,
    };
}
