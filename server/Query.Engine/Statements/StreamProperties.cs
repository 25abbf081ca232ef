using System.Globalization;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Storage;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// The WITH (...) properties of CREATE STREAM. Known: PARTITIONS, TIMESTAMP, RETENTION_MS, RETENTION_BYTES,
/// VALUE_FORMAT (BINARY | JSON), KEY_FORMAT / FORMAT (KAFKA), KAFKA_TOPIC (the log's name), REPLICAS (1),
/// SEGMENT_BYTES, SEGMENT_MS, DURABILITY (SYNC | INTERVAL | NONE), FLUSH_INTERVAL_MS. Anything else is an error
/// naming the property (22023).
/// </summary>
internal sealed class StreamProperties
{
    public int? Partitions { get; private set; }
    public string? TimestampColumn { get; private set; }
    public ValueFormat ValueFormat { get; private set; } = ValueFormat.Binary;
    public string? LogName { get; private set; }
    public LogOptions LogOptions { get; private set; } = new();

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
                ValueFormat = Text(value, name, position).ToUpperInvariant() switch
                {
                    "JSON" => ValueFormat.Json,
                    "BINARY" or "KSQL_BINARY" => ValueFormat.Binary,
                    var other => throw Invalid(name, other, "JSON or BINARY", position),
                };
                break;
            case "KEY_FORMAT" or "FORMAT":
                var format = Text(value, name, position).ToUpperInvariant();
                if (format != "KAFKA")
                    throw SqlException.FeatureNotSupported($"{name} '{format}' (keys use the KAFKA format)", position);
                break;
            case "KAFKA_TOPIC":
                LogName = Text(value, name, position);
                break;
            case "REPLICAS":
                if (Number(value, name, position, 1, 1) != 1)
                    throw Invalid(name, "", "1", position);
                break;
            default:
                throw new SqlException(SqlState.InvalidParameterValue, $"unrecognized stream property \"{name}\"",
                    position: position, hint: "Known properties: PARTITIONS, TIMESTAMP, RETENTION_MS, RETENTION_BYTES, "
                        + "VALUE_FORMAT, KEY_FORMAT, KAFKA_TOPIC, REPLICAS, SEGMENT_BYTES, SEGMENT_MS, DURABILITY, "
                        + "FLUSH_INTERVAL_MS.");
        }
    }

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
