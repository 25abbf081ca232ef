using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Query.Engine;
using Query.Engine.Catalog;
using Query.Engine.Format;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Conformance;

/// <summary>
/// The runner's own translation of <c>CREATE STREAM s AS SELECT ... FROM one_stream [WHERE ...]</c>: the SELECT
/// runs as a pull query over the inputs, and its rows are laid out as the sink's records would be (key column in
/// the key, the others in the value, ROWTIME as the record time). It measures expressions and formats while
/// persistent queries do not exist; it is the runner doing the work, so a match is reported apart from passes.
/// Anything else (windows, joins, GROUP BY, PARTITION BY, tables) is not translated.
/// </summary>
public static partial class PullTranslation
{
    private const string RowTimeAlias = "QTT_ROWTIME__";

    public static bool CanTranslate(Ast.Statement? statement, QueryEngine engine) =>
        statement is Ast.CreateStreamAsSelect { Query: { Body: Ast.Select select, Limit: null } }
        && select.From is Ast.TableRef from && select.Window is null && select.GroupBy.Count == 0
        && select.PartitionBy.Count == 0 && select.Having is null && !select.Distinct
        && Source(engine, from) is not null;

    private static StreamDefinition? Source(QueryEngine engine, Ast.TableRef from) =>
        engine.ListStreams().FirstOrDefault(s => s.Name == from.Name.Name.Value);

    /// <summary>The sink's topic and its records in QTT notation.</summary>
    public static async Task<(string Topic, List<TopicRecord> Records)>
        RunAsync(EngineSession session, QueryEngine engine, string text)
    {
        var csas = (Ast.CreateStreamAsSelect)Grammar.SqlParser.ParseStatement(text);
        var select = (Ast.Select)csas.Query.Body;
        var source = Source(engine, (Ast.TableRef)select.From!)!;
        var sink = Sink(csas, source);
        // ROWTIME goes after the last item, so generated names of the items (KSQL_COL_n) are not shifted.
        var itemsEnd = select.Items[^1].Span.End;
        var query = text[csas.Query.Span.Start..itemsEnd] + $", ROWTIME AS {RowTimeAlias}"
            + text[itemsEnd..csas.Query.Span.End];
        query = EmitChanges().Replace(query, "");
        var keyName = KeyName(select, source);
        var records = new List<TopicRecord>();
        await using var result = await session.ExecuteAsync(query);
        var rows = result.Rows!;
        while (await rows.ReadAsync())
        {
            var last = rows.Columns.Count - 1;
            var timestamp = rows.GetInt64(last);
            JsonElement key = JsonCompare.Null;
            var cells = new List<(string Name, object? Value, SqlType Type)>();
            for (var i = 0; i < last; i++)
            {
                var column = rows.Columns[i];
                if (keyName is not null && string.Equals(column.Name, keyName, StringComparison.OrdinalIgnoreCase))
                    key = KeyJson(rows.GetValue(i), column.Type, sink.KeyFormat);
                else
                    cells.Add((column.Name, rows.GetValue(i), column.Type));
            }
            records.Add(new TopicRecord(key, ValueJson(cells, sink), timestamp));
        }
        return (sink.Topic, records);
    }

    private static string? KeyName(Ast.Select select, StreamDefinition source)
    {
        if (source.KeyColumn < 0)
            return null;
        var key = source.Columns[source.KeyColumn].Name;
        foreach (var item in select.Items)
        {
            switch (item)
            {
                case Ast.AllColumns:
                    return key;
                case Ast.SingleColumn { Expression: Ast.ColumnRef column } single when column.Name.Value == key:
                    return single.Alias?.Value ?? key;
            }
        }
        return null;
    }

    private sealed record SinkShape(string Topic, KeyFormat KeyFormat, ValueFormat ValueFormat, char Delimiter,
        bool Wrap);

    private static SinkShape Sink(Ast.CreateStreamAsSelect csas, StreamDefinition source)
    {
        var shape = new SinkShape(csas.Name.Name.Value, source.KeyFormat, source.ValueFormat, source.ValueDelimiter,
            true);
        foreach (var property in csas.Properties)
        {
            var value = property.Value is Ast.StringLiteral s ? s.Value : property.Value.ToString() ?? "";
            shape = property.Name.Value.ToUpperInvariant() switch
            {
                "KAFKA_TOPIC" => shape with { Topic = value },
                "VALUE_FORMAT" => shape with { ValueFormat = Enum.Parse<ValueFormat>(value, true) },
                "KEY_FORMAT" => shape with { KeyFormat = Enum.Parse<KeyFormat>(value, true) },
                "FORMAT" => shape with
                {
                    KeyFormat = Enum.Parse<KeyFormat>(value, true),
                    ValueFormat = Enum.Parse<ValueFormat>(value, true),
                },
                "VALUE_DELIMITER" => shape with
                {
                    Delimiter = value.ToUpperInvariant() switch
                    {
                        "TAB" => '\t',
                        "SPACE" => ' ',
                        _ => value[0],
                    }
                },
                "WRAP_SINGLE_VALUE" => shape with { Wrap = !value.Equals("false", StringComparison.OrdinalIgnoreCase) },
                _ => shape,
            };
        }
        return shape;
    }

    private static JsonElement KeyJson(object? value, SqlType type, KeyFormat format)
    {
        if (value is null)
            return JsonCompare.Null;
        if (format != KeyFormat.Delimited)
            return JsonCompare.Parse(ValueText.ToJson(value, type));
        var line = new StringBuilder();
        DelimitedFormat.AppendField(line, Cell.FromObject(value, type), type, ',');
        return JsonCompare.String(line.ToString());
    }

    private static JsonElement ValueJson(List<(string Name, object? Value, SqlType Type)> cells, SinkShape sink)
    {
        switch (sink.ValueFormat)
        {
            case ValueFormat.Delimited:
                var line = new StringBuilder();
                for (var i = 0; i < cells.Count; i++)
                {
                    if (i > 0)
                        line.Append(sink.Delimiter);
                    DelimitedFormat.AppendField(line, Cell.FromObject(cells[i].Value, cells[i].Type), cells[i].Type,
                        sink.Delimiter);
                }
                return JsonCompare.String(line.ToString());
            case ValueFormat.Kafka when cells.Count == 1:
            case ValueFormat.Json when !sink.Wrap && cells.Count == 1:
                return JsonCompare.Parse(ValueText.ToJson(cells[0].Value, cells[0].Type));
            default:
                var json = new StringBuilder("{");
                for (var i = 0; i < cells.Count; i++)
                {
                    if (i > 0)
                        json.Append(',');
                    json.Append(JsonSerializer.Serialize(cells[i].Name)).Append(':')
                        .Append(ValueText.ToJson(cells[i].Value, cells[i].Type));
                }
                return JsonCompare.Parse(json.Append('}').ToString());
        }
    }

    [GeneratedRegex(@"\s+EMIT\s+CHANGES\s*;?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex EmitChanges();

}
