using System.Buffers;
using System.Buffers.Binary;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Format;
using Query.Engine.Types;
using Query.Tiering.Layout;

namespace Query.Engine.Tiering;

/// <summary>
/// A stream's rows as tiering sees them: its columns as cold types, and its value format. BINARY rows are
/// decoded column by column and re-encoded exactly when they have the stream's current column count (a row
/// written before ADD COLUMN keeps its raw bytes in the cold file). JSON rows are decoded for the typed
/// columns but always kept raw, since re-encoding JSON text would not give back the same bytes.
/// </summary>
internal sealed class StreamColumnLayout : IColumnLayout
{
    private readonly StreamDefinition _definition;
    private readonly SqlType[] _types;
    private readonly string[] _names;
    private readonly Cell[] _cells;
    private readonly ArrayBufferWriter<byte> _scratch = new();
    private readonly int _wideColumn;
    private readonly Fixed[] _fixed;        // per column: how a BINARY row's bytes become its cold value

    private enum Fixed : byte
    {
        None,           // through ReadCold
        Boolean,
        Int32,
        Int64,
        Range,          // STRING / BYTES: a range of the value bytes when the caller takes ranges
    }

    public StreamColumnLayout(StreamDefinition definition, int schemaVersion)
    {
        _definition = definition;
        _types = definition.ColumnTypes();
        _names = definition.ColumnNames();
        _cells = new Cell[_types.Length];
        var columns = new ColdColumn[_types.Length];
        for (var i = 0; i < columns.Length; i++)
            columns[i] = new ColdColumn(_names[i], ColdTypes.From(_types[i]));
        Columns = columns;
        // Every stream's reads go through a layout, but only a tiered stream's rows are ever decoded for the cold
        // tier, and a tiered stream cannot have a wide DECIMAL (ColdTypes.CheckTierable).
        _wideColumn = Array.FindIndex(_types, ColdTypes.HasWideDecimal);
        _fixed = Array.ConvertAll(_types, t => t.Kind switch
        {
            SqlTypeKind.Boolean => Fixed.Boolean,
            SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time => Fixed.Int32,
            SqlTypeKind.BigInt or SqlTypeKind.Timestamp or SqlTypeKind.Double => Fixed.Int64,
            SqlTypeKind.String or SqlTypeKind.Bytes => Fixed.Range,
            _ => Fixed.None,
        });
        SchemaVersion = schemaVersion;
        SchemaText = string.Join(", ", definition.Columns.Select(c => $"`{c.Name}` {c.Type}"));
    }

    public IReadOnlyList<ColdColumn> Columns { get; }
    public string SchemaText { get; }
    public int SchemaVersion { get; }

    public bool TryDecode(ReadOnlySpan<byte> value, Span<ColdValue> row) => Decode(value, row, ranges: false);

    // Archival: top-level STRING and BYTES columns of a BINARY row come back as ranges of the value bytes (their
    // UTF-8 / raw bytes as the row holds them), which the archiver copies without a string or array per value.
    public bool TryDecodeRanges(ReadOnlySpan<byte> value, Span<ColdValue> row) => Decode(value, row, ranges: true);

    private bool Decode(ReadOnlySpan<byte> value, Span<ColdValue> row, bool ranges)
    {
        if (_wideColumn >= 0)
            throw SqlException.FeatureNotSupported($"archiving column \"{_names[_wideColumn]}\" "
                + $"({_types[_wideColumn]}): the cold tier holds DECIMAL up to {DecimalType.MaxPrecision} digits");
        try
        {
            return _definition.ValueFormat == ValueFormat.Json
                ? DecodeJson(value, row)
                : DecodeBinary(value, row, ranges);
        }
        catch (Exception e) when (e is SqlException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw new FormatException("the value does not match the stream's format: " + e.Message, e);
        }
    }

    public void Encode(ReadOnlySpan<ColdValue> row, IBufferWriter<byte> value)
    {
        // Scalars share one representation (bits, decimal or reference): copied as they are, no boxing.
        for (var i = 0; i < _cells.Length; i++)
            _cells[i] = IsNested(_types[i])
                ? Cell.FromObject(ColdTypes.ToObject(row[i], _types[i]), _types[i])
                : new Cell { Bits = row[i].Bits, Decimal = row[i].Decimal, Ref = row[i].Ref, IsNull = row[i].IsNull };
        var target = value as ArrayBufferWriter<byte> ?? _scratch;
        if (target == _scratch)
            _scratch.ResetWrittenCount();
        if (_definition.ValueFormat == ValueFormat.Json)
            JsonRowFormat.Write(target, _cells, _names, _types);
        else
            BinaryRowFormat.Write(target, _cells, _types);
        if (target == _scratch)
            value.Write(_scratch.WrittenSpan);
    }

    private bool DecodeJson(ReadOnlySpan<byte> value, Span<ColdValue> row)
    {
        JsonRowFormat.Read(value, _names, _types, _cells);
        for (var i = 0; i < row.Length; i++)
            row[i] = ColdTypes.ToCold(_cells[i].ToObject(_types[i]), _types[i]);
        return false;
    }

    // [u8 version][u16 count][null bitmap][u32 end per column][data] (see BinaryRowFormat).
    private bool DecodeBinary(ReadOnlySpan<byte> value, Span<ColdValue> row, bool ranges)
    {
        if (value.Length < 3 || value[0] != BinaryRowFormat.Version)
            throw new FormatException("not a binary row");
        int count = BinaryPrimitives.ReadUInt16LittleEndian(value[1..]);
        var header = BinaryRowFormat.HeaderBytes(count);
        if (value.Length < header)
            throw new FormatException("truncated binary row");
        var data = value[header..];
        var ends = value[(3 + ((count + 7) / 8))..];
        var start = 0;
        for (var i = 0; i < row.Length; i++)
        {
            if (i >= count)
            {
                row[i] = ColdValue.Null;
                continue;
            }
            var end = (int)BinaryPrimitives.ReadUInt32LittleEndian(ends[(4 * i)..]);
            if (end < start || end > data.Length)
                throw new FormatException("bad column offset in binary row");
            if ((value[3 + (i >> 3)] & (1 << (i & 7))) != 0)
                row[i] = ColdValue.Null;
            else
                row[i] = _fixed[i] switch
                {
                    Fixed.Boolean => ColdValue.FromInt64(data[start..end][0] != 0 ? 1 : 0),
                    Fixed.Int32 => ColdValue.FromInt64(BinaryPrimitives.ReadInt32LittleEndian(data[start..end])),
                    Fixed.Int64 => ColdValue.FromInt64(BinaryPrimitives.ReadInt64LittleEndian(data[start..end])),
                    Fixed.Range when ranges => ColdValue.FromValueRange(header + start, end - start),
                    _ => ReadCold(data[start..end], _types[i]),
                };
            start = end;
        }
        return count == row.Length;
    }

    private static bool IsNested(SqlType type) =>
        type.Kind is SqlTypeKind.Array or SqlTypeKind.Map or SqlTypeKind.Struct;

    // Fixed-width scalars straight into the value's bits; the rest through the boxed reader.
    private static ColdValue ReadCold(ReadOnlySpan<byte> data, SqlType type) => type.Kind switch
    {
        SqlTypeKind.Boolean => ColdValue.FromInt64(data[0] != 0 ? 1 : 0),
        SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time =>
            ColdValue.FromInt64(BinaryPrimitives.ReadInt32LittleEndian(data)),
        SqlTypeKind.BigInt or SqlTypeKind.Timestamp or SqlTypeKind.Double =>
            ColdValue.FromInt64(BinaryPrimitives.ReadInt64LittleEndian(data)),
        SqlTypeKind.String => ColdValue.FromRef(System.Text.Encoding.UTF8.GetString(data)),
        _ => ColdTypes.ToCold(ReadColumn(data, type), type),
    };

    private static object ReadColumn(ReadOnlySpan<byte> data, SqlType type) => type.Kind switch
    {
        SqlTypeKind.Boolean => data[0] != 0,
        SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time => BinaryPrimitives.ReadInt32LittleEndian(data),
        SqlTypeKind.BigInt or SqlTypeKind.Timestamp => BinaryPrimitives.ReadInt64LittleEndian(data),
        SqlTypeKind.Double => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(data)),
        _ => NestedValueCodec.ReadTopLevel(data, type),
    };
}
