using System.Globalization;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Storage;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// The WITH (...) properties of CREATE STREAM. Known: PARTITIONS, TIMESTAMP, RETENTION_MS, RETENTION_BYTES,
/// VALUE_FORMAT (BINARY | JSON | DELIMITED | KAFKA | NONE), KEY_FORMAT (KAFKA | JSON | DELIMITED | NONE), FORMAT
/// (both), VALUE_DELIMITER and KEY_DELIMITER (one character, 'TAB' or 'SPACE'), WRAP_SINGLE_VALUE, KAFKA_TOPIC (the
/// log's name),
/// REPLICAS (1),
/// SEGMENT_BYTES, SEGMENT_MS, DURABILITY (SYNC | INTERVAL | NONE), FLUSH_INTERVAL_MS, and tiering's TIERED,
/// LOCAL_RETENTION_MS, LOCAL_RETENTION_BYTES (StreamProperties.Tiering.cs). Anything else is an error naming the
/// property (22023).
/// </summary>
internal sealed partial class StreamProperties
{
    public int? Partitions { get; private set; }
    public string? TimestampColumn { get; private set; }
    public ValueFormat ValueFormat { get; private set; } = ValueFormat.Binary;
    public KeyFormat KeyFormat { get; private set; } = KeyFormat.Kafka;
    public char ValueDelimiter { get; private set; } = ',';

    /// <summary>KEY_DELIMITER as given (null: not given, a comma).</summary>
    public char? KeyDelimiter { get; private set; }
    public bool? WrapSingleValue { get; private set; }
    public string? TimestampFormat { get; private set; }
    public string? LogName { get; private set; }
    public LogOptions LogOptions { get; private set; } = new();

    /// <summary>The properties given, upper-case.</summary>
    public IReadOnlySet<string> Given { get; private set; } = new HashSet<string>();

    public static StreamProperties Parse(Ast.EquatableArray<Ast.TableProperty> properties)
    {
        var result = new StreamProperties();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in properties)
        {
            var name = property.Name.Value.ToUpperInvariant();
            var position = property.Span.Start + 1;
            if (!seen.Add(name))
                throw new SqlException(SqlState.SyntaxError, $"property {name} specified more than once",
                    position: position);
            result.Apply(name, property.Value, position);
        }
        if (seen.Contains("FORMAT") && (seen.Contains("KEY_FORMAT") || seen.Contains("VALUE_FORMAT")))
            throw new SqlException(SqlState.InvalidParameterValue,
                "FORMAT sets both the key and the value format: give FORMAT alone, or KEY_FORMAT and VALUE_FORMAT");
        result.Given = seen;
        result.CheckTiering(properties.Count > 0 ? properties[0].Span.Start + 1 : 0);
        result.CheckWindow(properties.Count > 0 ? properties[0].Span.Start + 1 : 0);
        return result;
    }

    private void Apply(string name, Ast.Literal value, int position)
    {
        switch (name)
        {
            case "PARTITIONS":
                Partitions = (int)Number(value, name, position, 1, 1024);
                LogOptions = LogOptions with { Partitions = Partitions.Value };
                break;
            case "TIMESTAMP":
                TimestampColumn = Text(value, name, position);
                break;
            case "TIMESTAMP_FORMAT":
                TimestampFormat = Text(value, name, position);
                break;
            case "RETENTION_MS":
                LogOptions = LogOptions with { RetentionMs = Number(value, name, position, -1, long.MaxValue) };
                break;
            case "RETENTION_BYTES":
                LogOptions = LogOptions with { RetentionBytes = Number(value, name, position, -1, long.MaxValue) };
                break;
            case "SEGMENT_BYTES":
                LogOptions = LogOptions with { SegmentMaxBytes = Number(value, name, position, 1024, long.MaxValue) };
                break;
            case "SEGMENT_MS":
                LogOptions = LogOptions with
                {
                    SegmentMaxAge = TimeSpan.FromMilliseconds(Number(value, name, position, 1, long.MaxValue / 10_000)),
                };
                break;
            case "FLUSH_INTERVAL_MS":
                LogOptions = LogOptions with
                {
                    FlushInterval = TimeSpan.FromMilliseconds(Number(value, name, position, 1, 3_600_000)),
                };
                break;
            case "DURABILITY":
                LogOptions = LogOptions with { Durability = Durability(Text(value, name, position), position) };
                break;
            case "VALUE_FORMAT":
                ValueFormat = ValueFormatOf(Text(value, name, position), name, position);
                break;
            case "KEY_FORMAT":
                KeyFormat = KeyFormatOf(Text(value, name, position), name, position);
                break;
            case "FORMAT":
                var format = Text(value, name, position);
                KeyFormat = KeyFormatOf(format, name, position);
                ValueFormat = ValueFormatOf(format, name, position);
                break;
            case "VALUE_DELIMITER":
                ValueDelimiter = Delimiter(Text(value, name, position), name, position);
                break;
            case "KEY_DELIMITER":
                KeyDelimiter = Delimiter(Text(value, name, position), name, position);
                break;
            case "WRAP_SINGLE_VALUE":
                WrapSingleValue = value switch
                {
                    Ast.BooleanLiteral b => b.Value,
                    Ast.StringLiteral t when bool.TryParse(t.Value, out var parsed) => parsed,
                    _ => throw Invalid(name, value.ToString(), "TRUE or FALSE", position),
                };
                break;
            case "KAFKA_TOPIC":
                LogName = Text(value, name, position);
                break;
            case "REPLICAS":
                if (Number(value, name, position, 1, 1) != 1)
                    throw Invalid(name, "", "1", position);
                break;
            default:
                if (TryApplyTiering(name, value, position) || TryApplyWindow(name, value, position))
                    break;
                throw new SqlException(SqlState.InvalidParameterValue, $"unrecognized stream property \"{name}\"",
                    position: position, hint: "Known properties: PARTITIONS, TIMESTAMP, RETENTION_MS, RETENTION_BYTES, "
                        + "TIMESTAMP_FORMAT, VALUE_FORMAT, KEY_FORMAT, FORMAT, VALUE_DELIMITER, KEY_DELIMITER, "
                        + "WRAP_SINGLE_VALUE, "
                        + "KAFKA_TOPIC, REPLICAS, SEGMENT_BYTES, SEGMENT_MS, DURABILITY, FLUSH_INTERVAL_MS, "
                        + "TIERED, LOCAL_RETENTION_MS, LOCAL_RETENTION_BYTES, WINDOW_TYPE, WINDOW_SIZE.");
        }
    }

    private static readonly string[] SchemaRegistryFormats = ["AVRO", "PROTOBUF", "JSON_SR"];

    private static ValueFormat ValueFormatOf(string text, string name, int position)
    {
        var format = text.ToUpperInvariant();
        return format switch
        {
            "JSON" => ValueFormat.Json,
            "DELIMITED" => ValueFormat.Delimited,
            "KAFKA" => ValueFormat.Kafka,
            "NONE" => ValueFormat.None,
            "PROTOBUF_NOSR" or "PROTOBUFNOSR" => ValueFormat.ProtobufNoSr,
            "BINARY" or "KSQL_BINARY" => ValueFormat.Binary,
            _ => throw UnknownFormat(name, format, position),
        };
    }

    private static KeyFormat KeyFormatOf(string text, string name, int position)
    {
        var format = text.ToUpperInvariant();
        return format switch
        {
            "KAFKA" => KeyFormat.Kafka,
            "JSON" => KeyFormat.Json,
            "DELIMITED" => KeyFormat.Delimited,
            "NONE" => KeyFormat.None,
            "PROTOBUF_NOSR" => throw SqlException.FeatureNotSupported(
                $"{name} 'PROTOBUF_NOSR' for keys (it is a value format here: give KEY_FORMAT and VALUE_FORMAT)",
                position),
            _ => throw UnknownFormat(name, format, position),
        };
    }

    private static SqlException UnknownFormat(string name, string format, int position) =>
        Array.IndexOf(SchemaRegistryFormats, format) >= 0
            ? SqlException.FeatureNotSupported($"{name} '{format}' (formats that need a schema registry)", position)
            : Invalid(name, format, "JSON, DELIMITED, KAFKA, NONE, PROTOBUF_NOSR or BINARY", position);

    /// <summary>ksqlDB's VALUE_DELIMITER and KEY_DELIMITER: one character, or the words TAB and SPACE.</summary>
    private static char Delimiter(string text, string name, int position) => text.ToUpperInvariant() switch
    {
        "TAB" => '\t',
        "SPACE" => ' ',
        _ when text.Length == 1 && text[0] != '"' => text[0],
        _ => throw Invalid(name, text, "one character, 'TAB' or 'SPACE'", position),
    };

    private static DurabilityMode Durability(string text, int position) => text.ToUpperInvariant() switch
    {
        "SYNC" => DurabilityMode.Sync,
        "INTERVAL" => DurabilityMode.Interval,
        "NONE" => DurabilityMode.None,
        _ => throw Invalid("DURABILITY", text, "SYNC, INTERVAL or NONE", position),
    };

    private static long Number(Ast.Literal value, string name, int position, long min, long max)
    {
        long number = value switch
        {
            Ast.IntegerLiteral i => i.Value,
            Ast.StringLiteral s when long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture,
                out var parsed) => parsed,
            _ => throw Invalid(name, value.ToString(), "an integer", position),
        };
        return number >= min && number <= max ? number
            : throw Invalid(name, number.ToString(CultureInfo.InvariantCulture), $"between {min} and {max}", position);
    }

    private static string Text(Ast.Literal value, string name, int position) => value switch
    {
        Ast.StringLiteral s => s.Value,
        _ => throw Invalid(name, value.ToString(), "a quoted string", position),
    };

    private static SqlException Invalid(string name, string value, string expected, int position) =>
        new(SqlState.InvalidParameterValue, $"invalid value {value} for property {name}: expected {expected}",
            position: position);
}
