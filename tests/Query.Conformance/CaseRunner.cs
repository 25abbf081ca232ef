using System.Text.Json;
using Ast = Query.Grammar.Ast;

namespace Query.Conformance;

/// <summary>
/// Runs one case on a fresh engine in a temporary directory: the statements in order (inputs are produced to
/// their topics before the first statement that is not a CREATE), then compares what the case expects: an
/// error, the records of each output topic (count, order, key, value, timestamp), and for REST cases the rows
/// of every query response.
/// </summary>
public static class CaseRunner
{
    private static readonly string[] SchemaRegistryFormats = ["AVRO", "PROTOBUF", "JSON_SR"];

    /// <summary>
    /// Functions that only ksqlDB's test classpath defines (its functional tests load them as user UDFs; ksqlDB
    /// itself has none of them): a case calling one is not applicable, as a case needing a schema registry is.
    /// </summary>
    private static readonly System.Text.RegularExpressions.Regex TestOnlyUdfs = new(
        @"\b(bad_udf|whencondition)\s*\(", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>Runs a case on the engine in process.</summary>
    public static Task<CaseOutcome> RunAsync(QttCase c) => RunAsync(c, async () => await InProcessTarget.OpenAsync());

    /// <summary>Runs a case on a target opened for it (and disposed after it).</summary>
    public static async Task<CaseOutcome> RunAsync(QttCase c, Func<Task<ICaseTarget>> openTarget)
    {
        if (!c.Enabled)
            return new CaseOutcome(c, Verdict.NotApplicable, Categories.Disabled, "");
        if (NeedsSchemaRegistry(c))
            return new CaseOutcome(c, Verdict.NotApplicable, Categories.SchemaRegistry, "");
        if (c.Statements.Any(TestOnlyUdfs.IsMatch))
            return new CaseOutcome(c, Verdict.NotApplicable, Categories.TestOnlyUdf, "");
        await using var target = await openTarget();
        return await RunAsync(c, target);
    }

    private static bool NeedsSchemaRegistry(QttCase c)
    {
        foreach (var statement in c.Statements)
        {
            foreach (var format in SchemaRegistryFormats)
            {
                if (statement.Contains($"'{format}'", StringComparison.OrdinalIgnoreCase))
                    return true;
            }
        }
        return c.Array("topics").Any(t => t.TryGetProperty("schema", out _) || t.TryGetProperty("valueSchema", out _)
            || t.TryGetProperty("keySchema", out _));
    }

    private static async Task<CaseOutcome> RunAsync(QttCase c, ICaseTarget target)
    {
        if (c.Rest)
        {
            foreach (var (topic, partitions) in CaseTopics.Of(c))
                await target.CreateTopicAsync(topic, partitions);
        }
        var runs = new List<StatementRun>();
        var produced = false;
        var responses = c.Array("responses").ToList();
        for (var i = 0; i < c.Statements.Count; i++)
        {
            var text = c.Statements[i];
            if (!produced && !IsCreate(text))
                produced = await ProduceInputsAsync(c, target);
            var run = await target.ExecuteAsync(text, ExpectedRows(responses, i));
            runs.Add(run);
            if (run.Failed && (c.ExpectsError || c.Rest))
                break;
        }
        if (!produced)
            await ProduceInputsAsync(c, target);
        if (c.ExpectsError)
            return ExpectedError(c, runs);
        return await CompareAsync(c, target, runs, responses);
    }

    private static bool IsCreate(string text) =>
        text.TrimStart().StartsWith("CREATE", StringComparison.OrdinalIgnoreCase)
        && !text.Contains(" AS SELECT", StringComparison.OrdinalIgnoreCase);

    private static int ExpectedRows(List<JsonElement> responses, int statement)
    {
        if (statement >= responses.Count || !responses[statement].TryGetProperty("query", out var query))
            return int.MaxValue;
        return query.EnumerateArray().Count(item => item.TryGetProperty("row", out _));
    }

    private static async Task<bool> ProduceInputsAsync(QttCase c, ICaseTarget target)
    {
        var streams = target.ListStreams();
        foreach (var input in c.Array("inputs"))
        {
            var topic = input.GetProperty("topic").GetString();
            var stream = streams.FirstOrDefault(s => IntendedDifferences.SameName(s.LogName, topic));
            if (stream is null)
                continue;
            var key = RecordSerde.Key(Property(input, "key"), stream);
            var value = RecordSerde.Value(Property(input, "value"), stream, key);
            if (key is not null && stream.Window is { } window
                && Property(input, "window") is { ValueKind: JsonValueKind.Object } bounds)
                key = Engine.Windows.WindowedKey.Append(key, window.Kind, bounds.GetProperty("start").GetInt64(),
                    bounds.GetProperty("end").GetInt64());
            var timestamp = Property(input, "timestamp") is { ValueKind: JsonValueKind.Number } t ? t.GetInt64() : 0;
            int? partition = Property(input, "partition") is { ValueKind: JsonValueKind.Number } p ? p.GetInt32() : null;
            await target.ProduceAsync(stream, new QttInput(key, value, timestamp, partition,
                RecordSerde.InputHeaders(Property(input, "headers")), Property(input, "key"), Property(input, "value")));
        }
        return true;
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : default;

    private static CaseOutcome ExpectedError(QttCase c, List<StatementRun> runs)
    {
        var failed = runs.FirstOrDefault(r => r.Failed);
        if (failed is null)
            return CaseOutcome.Failed(c, Categories.ErrorNotRaised, "every statement succeeded");
        if (failed.SqlState == Engine.Errors.SqlState.FeatureNotSupported)
            return CaseOutcome.Failed(c, Classify(failed), failed.Error ?? "");
        return CaseOutcome.Passed(c);
    }

    private static async Task<CaseOutcome> CompareAsync(QttCase c, ICaseTarget target, List<StatementRun> runs,
        List<JsonElement> responses)
    {
        if (runs.FirstOrDefault(r => r.Failed) is { } failed)
            return CaseOutcome.Failed(c, Classify(failed), $"{failed.SqlState}: {failed.Error}");
        // Persistent queries run in the background: their output is compared once they have caught up.
        var problems = await target.SettlePersistentQueriesAsync();
        if (problems is not null && !problems.StartsWith("processing log", StringComparison.Ordinal))
            return CaseOutcome.Failed(c, $"{Categories.UnexpectedError} persistent query", problems);
        if (c.Rest && CompareResponses(runs, responses) is { } mismatch)
            return CaseOutcome.Failed(c, Categories.WrongValue, mismatch);
        if (await CompareOutputsAsync(c, target) is { } difference)
            return CaseOutcome.Failed(c, Categories.WrongValue, difference + (problems is null ? "" : $" ({problems})"));
        return CaseOutcome.Passed(c);
    }

    private static async Task<string?> CompareOutputsAsync(QttCase c, ICaseTarget target)
    {
        foreach (var group in c.Array("outputs").GroupBy(o => o.GetProperty("topic").GetString()!))
        {
            var expected = group.ToList();
            var actual = await target.ReadTopicAsync(group.Key);
            if (actual is null)
                return $"no topic {group.Key}";
            if (actual.Count != expected.Count)
                return $"topic {group.Key}: {actual.Count} records, expected {expected.Count}";
            for (var i = 0; i < expected.Count; i++)
            {
                if (RecordDifference(expected[i], actual[i]) is { } difference)
                    return $"topic {group.Key} record {i}: {difference}";
            }
        }
        return null;
    }

    private static string? RecordDifference(JsonElement expected, TopicRecord actual)
    {
        var key = Property(expected, "key");
        if (key.ValueKind != JsonValueKind.Undefined && !JsonCompare.Equal(key, actual.Key))
            return $"key {actual.Key.GetRawText()}, expected {key.GetRawText()}";
        var value = Property(expected, "value");
        if (!JsonCompare.Equal(value.ValueKind == JsonValueKind.Undefined ? JsonCompare.Null : value, actual.Value))
            return $"value {actual.Value.GetRawText()}, expected {value.GetRawText()}";
        if (Property(expected, "timestamp") is { ValueKind: JsonValueKind.Number } timestamp
            && timestamp.GetInt64() != actual.Timestamp)
            return $"timestamp {actual.Timestamp}, expected {timestamp.GetInt64()}";
        return WindowDifference(expected, actual);
    }

    private static string? WindowDifference(JsonElement expected, TopicRecord actual)
    {
        var window = Property(expected, "window");
        if (window.ValueKind != JsonValueKind.Object)
            return actual.Window is null ? null : $"window {actual.Window}, expected none";
        var start = window.GetProperty("start").GetInt64();
        var end = window.GetProperty("end").GetInt64();
        return actual.Window == (start, end) ? null
            : $"window {actual.Window?.ToString() ?? "none"}, expected ({start}, {end})";
    }

    private static string? CompareResponses(List<StatementRun> runs, List<JsonElement> responses)
    {
        for (var i = 0; i < runs.Count && i < responses.Count; i++)
        {
            if (!responses[i].TryGetProperty("query", out var query))
                continue;
            var run = runs[i];
            if (run.Failed)
                return $"statement {i + 1}: {run.SqlState}: {run.Error}";
            var rows = query.EnumerateArray().Where(item => item.TryGetProperty("row", out _))
                .Select(item => item.GetProperty("row").GetProperty("columns")).ToList();
            if (run.Rows!.Count != rows.Count)
                return $"statement {i + 1}: {run.Rows.Count} rows, expected {rows.Count}";
            for (var r = 0; r < rows.Count; r++)
            {
                var actual = JsonCompare.Parse("[" + string.Join(",", run.Rows[r].Select(v => v.GetRawText())) + "]");
                if (!JsonCompare.Equal(rows[r], actual))
                    return $"statement {i + 1} row {r}: {actual.GetRawText()}, expected {rows[r].GetRawText()}";
            }
            if (query.EnumerateArray().FirstOrDefault(item => item.TryGetProperty("header", out _)) is
                { ValueKind: JsonValueKind.Object } header && HeaderDifference(header, run) is { } difference)
                return $"statement {i + 1}: {difference}";
        }
        return null;
    }

    private static string? HeaderDifference(JsonElement header, StatementRun run)
    {
        var schema = header.GetProperty("header").GetProperty("schema").GetString() ?? "";
        var names = TopLevelFields(schema).Select(part => part.Trim().Split(' ')[0].Trim('`')).ToList();
        var same = names.Count == run.ColumnNames!.Count
            && names.Select((name, i) => IntendedDifferences.SameColumnName(name, run.ColumnNames[i])).All(s => s);
        return same ? null
            : $"columns {string.Join(", ", run.ColumnNames!)}, expected {string.Join(", ", names)}";
    }

    /// <summary>The fields of a header's schema, split at commas outside <c>&lt;...&gt;</c> (MAP, STRUCT).</summary>
    private static IEnumerable<string> TopLevelFields(string schema)
    {
        var (depth, start) = (0, 0);
        for (var i = 0; i < schema.Length; i++)
        {
            depth += schema[i] == '<' ? 1 : schema[i] == '>' ? -1 : 0;
            if (schema[i] == ',' && depth == 0)
            {
                yield return schema[start..i];
                start = i + 1;
            }
        }
        yield return schema[start..];
    }

    public static string Classify(StatementRun run) => Classify(run, run.SqlState, run.Error);

    private static string Classify(StatementRun run, string? sqlState, string? message)
    {
        var text = message ?? "";
        switch (run.Syntax)
        {
            case Ast.CreateTableAsSelect or Ast.CreateTable:
                return Categories.Tables;
            case Ast.CreateStreamAsSelect { Query.Body: Ast.Select { Window: not null } }
                or Ast.InsertInto { Query.Body: Ast.Select { Window: not null } }:
                return Categories.Windows;
            case Ast.CreateStreamAsSelect { Query.Body: Ast.Select { From: Ast.Join } }
                or Ast.InsertInto { Query.Body: Ast.Select { From: Ast.Join } }:
                return Categories.Joins;
            case Ast.CreateStreamAsSelect or Ast.InsertInto when sqlState == Engine.Errors.SqlState.FeatureNotSupported:
                return Categories.PersistentQueries;
        }
        if (text.Contains("WINDOW", StringComparison.Ordinal))
            return Categories.Windows;
        if (sqlState == Engine.Errors.SqlState.UndefinedFunction)
            return Categories.FunctionMissing;
        if (text.Contains("FORMAT", StringComparison.OrdinalIgnoreCase))
            return Categories.Format;
        if (sqlState == Engine.Errors.SqlState.FeatureNotSupported)
        {
            return text.Contains("window", StringComparison.OrdinalIgnoreCase) ? Categories.Windows
                : text.Contains("join", StringComparison.OrdinalIgnoreCase) ? Categories.Joins
                : text.Contains("table", StringComparison.OrdinalIgnoreCase) ? Categories.Tables
                : Categories.Unsupported;
        }
        return $"{Categories.UnexpectedError} {sqlState}";
    }
}
