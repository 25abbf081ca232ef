using System.Collections;
using System.Globalization;
using Query.Engine.Errors;
using Query.Engine.Persistent;

namespace Query.Engine.Tests;

/// <summary>The oracles of the generated sequences.</summary>
public sealed partial class StatementFuzzTests
{
    private static string Canonical(object? value) => value switch
    {
        null => "NULL",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToHexString(bytes),
        // The same value at another scale (4 and 4.000000) prints alike: this compares values, not scales.
        decimal m => (m / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture),
        string text => $"'{text}'",
        IDictionary map => "{" + string.Join(",", map.Keys.Cast<object?>().Select(k => Canonical(k) + ":"
            + Canonical(map[k!]))) + "}",
        IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(Canonical)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static List<string> Canonical(IEnumerable<object?[]> rows) =>
        rows.Select(r => string.Join(" | ", r.Select(Canonical))).Order(StringComparer.Ordinal).ToList();

    private static string Difference(List<string> actual, List<string> expected)
    {
        var missing = new List<string>(expected);
        var extra = new List<string>();
        foreach (var row in actual)
        {
            if (!missing.Remove(row))
                extra.Add(row);
        }
        return $"{actual.Count} rows, expected {expected.Count}; missing: {string.Join("; ", missing.Take(5))}; "
            + $"extra: {string.Join("; ", extra.Take(5))}";
    }

    private async Task CheckTableWriteAsync(FuzzStep step, string? tag, SqlException? error)
    {
        if (error is not null)
        {
            if (step.ExpectedState is null || error.SqlState != step.ExpectedState)
            {
                Fail($"{step.Sql}\n    -> {error.SqlState}: {error.Message}; the model expected "
                    + (step.ExpectedState ?? "success"));
            }
            return;
        }
        if (step.ExpectedState is not null)
        {
            Fail($"{step.Sql}\n    -> {tag}; the model expected {step.ExpectedState}");
            return;
        }
        if (tag != step.ExpectedTag)
            Fail($"{step.Sql}\n    -> {tag}; the model expected {step.ExpectedTag}");
        step.Apply!();
        var (rows, _, readError) = await TryAsync("SELECT id, name, n FROM t1");
        if (rows is null)
        {
            Fail($"SELECT id, name, n FROM t1 after {step.Sql}\n    -> {readError?.SqlState}: {readError?.Message}");
            return;
        }
        var expected = Canonical(_generator.Table.Select(p => new object?[] { p.Key, p.Value.Name, p.Value.N }));
        var actual = Canonical(rows);
        if (!actual.SequenceEqual(expected))
            Fail($"{step.Sql}\n    -> t1 differs from its model: {Difference(actual, expected)}");
    }

    private async Task PushAsync(FuzzStep step)
    {
        var (counted, _, countError) = await TryAsync(step.CountSql!);
        if (counted is null)
            return;
        var available = Convert.ToInt64(counted[0][0], CultureInfo.InvariantCulture);
        if (available == 0)
        {
            Count("push skipped: no rows");
            return;
        }
        var limit = (int)Math.Min(available, 1 + (step.Sql.Length % 5));
        var sql = $"{step.Sql} LIMIT {limit}";
        var (rows, _, error) = await TryAsync(sql);
        _ = countError;
        if (rows is null)
            return;
        Count("ok Push");
        if (rows.Count != limit)
        {
            Fail($"{sql}\n    -> {rows.Count} rows, LIMIT {limit} with {available} available");
            return;
        }
        if (step.Twin is null || !StatementFuzzGenerator.IsDeterministic(step.Twin))
            return;
        var (twin, _, twinError) = await TryAsync(step.Twin);
        if (twin is null)
        {
            if (error is null && twinError?.SqlState != SqlState.DivisionByZero)
                Fail($"{step.Twin}\n    -> {twinError?.SqlState} while its push twin answered");
            return;
        }
        var pool = Canonical(twin);
        foreach (var row in Canonical(rows))
        {
            if (!pool.Remove(row))
            {
                Fail($"{sql}\n    -> row {row} is not a row of {step.Twin}");
                return;
            }
        }
    }

    private async Task PartitionAsync(FuzzStep step)
    {
        var sql = $"SELECT COUNT(*) FROM {step.From}";
        var parts = new[] { "", $" WHERE {step.Sql}", $" WHERE NOT ({step.Sql})", $" WHERE ({step.Sql}) IS NULL" };
        var counts = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var (rows, _, _) = await TryAsync(sql + parts[i]);
            if (rows is null)
                return;
            counts[i] = Convert.ToInt64(rows[0][0], CultureInfo.InvariantCulture);
        }
        Count("ok Partition");
        if (!StatementFuzzGenerator.IsDeterministic(step.Sql))
            return;
        if (counts[1] + counts[2] + counts[3] != counts[0])
        {
            Fail($"{sql} WHERE {step.Sql}\n    -> {counts[1]} + NOT {counts[2]} + IS NULL {counts[3]} "
                + $"<> {counts[0]} rows");
        }
        // The same count as an aggregate FILTER-like CASE, without a WHERE.
        var (cased, _, _) = await TryAsync(
            $"SELECT COUNT(CASE WHEN {step.Sql} THEN 1 END) FROM {step.From}");
        if (cased is not null && Convert.ToInt64(cased[0][0], CultureInfo.InvariantCulture) != counts[1])
            Fail($"{sql} WHERE {step.Sql}\n    -> {counts[1]} rows, COUNT(CASE WHEN ...) {cased[0][0]}");
    }

    private async Task TerminateAsync(FuzzStep step)
    {
        if (step.Query is null)
        {
            var (_, _, all) = await TryAsync("TERMINATE ALL");
            if (all is null)
            {
                foreach (var query in _generator.Queries)
                    query.Running = false;
            }
            return;
        }
        var id = _db.Engine.Queries.List().FirstOrDefault(q => q.Definition.Sink.Equals(step.Query.Sink,
            StringComparison.OrdinalIgnoreCase))?.Definition.Id;
        if (id is null)
        {
            Fail($"TERMINATE of the query writing {step.Query.Sink}\n    -> no query writes it");
            return;
        }
        var (_, _, error) = await TryAsync($"TERMINATE {id}");
        if (error is not null)
            return;
        // Every writer of the sink (INSERT INTO ... SELECT too) must stop before its oracle stops holding.
        foreach (var other in _db.Engine.Queries.List())
        {
            if (other.Definition.Sink.Equals(step.Query.Sink, StringComparison.OrdinalIgnoreCase))
                await TryAsync($"TERMINATE {other.Definition.Id}");
        }
        step.Query.Running = false;
        if (step.Sql.Length % 2 == 0)
        {
            var kind = step.Query.IsTable ? "TABLE" : "STREAM";
            var (_, _, dropError) = await TryAsync($"DROP {kind} {step.Query.Sink}");
            if (dropError is null)
                _generator.Queries.Remove(step.Query);
        }
    }

    /// <summary>Every query reaches lag 0 or stops with a SQL error; then each checked sink matches its oracle.
    /// </summary>
    private async Task CheckQueriesAsync()
    {
        if (!await _db.Engine.WaitForPersistentQueriesAsync(StatementBound))
        {
            var behind = _db.Engine.Queries.List().Where(q => q.State == PersistentQueryState.Running && !q.CaughtUp)
                .Select(q => q.Definition.Sql);
            Fail($"persistent queries did not reach lag 0 within {StatementBound}:\n      "
                + string.Join("\n      ", behind));
            return;
        }
        foreach (var query in _db.Engine.Queries.List())
        {
            if (query.State != PersistentQueryState.Error)
                continue;
            Count($"query {query.ErrorSqlState}");
            if (query.ErrorSqlState == SqlState.InternalError)
                Fail($"{query.Definition.Sql}\n    -> stopped with an internal error: {query.Error}");
            var model = _generator.Queries.FirstOrDefault(q => q.Sink.Equals(query.Definition.Sink,
                StringComparison.OrdinalIgnoreCase));
            if (model is not null)
                model.Checked = false;
        }
        foreach (var query in _generator.Queries)
        {
            if (query.Running && query.Checked)
                await CheckSinkAsync(query);
        }
    }

    private static void EmptyAsNull(List<object?[]> rows)
    {
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
                row[i] = row[i] is "" ? null : row[i];
        }
    }

    private async Task CheckSinkAsync(FuzzQuery query)
    {
        foreach (var guard in query.Guards)
        {
            if ((await TryAsync(guard)).Error is { } error)
            {
                Count($"oracle skipped: {error.SqlState}");
                return;
            }
        }
        var expected = new List<object?[]>();
        foreach (var oracle in query.Oracles)
        {
            var (rows, _, error) = await TryAsync(oracle);
            if (rows is null)
            {
                Count($"oracle skipped: {error?.SqlState}");
                return;
            }
            expected.AddRange(rows);
        }
        var (sink, _, sinkError) = await TryAsync(query.SinkSql);
        if (sink is null)
        {
            Fail($"{query.SinkSql}\n    -> {sinkError?.SqlState}: {sinkError?.Message}");
            return;
        }
        if (query.DropNullFirst)
            expected.RemoveAll(r => r[0] is null);
        if (query.DropZeroCount)
            sink.RemoveAll(r => Equals(r[1], 0L));

        if (query.NullSkippedColumn is { } skipped)
            expected.RemoveAll(r => r[skipped] is null);
        if (query.Format is "DELIMITED" or "KAFKA")
        {
            // DELIMITED writes an empty STRING as an empty field, which reads back as NULL (as in ksqlDB); KAFKA
            // writes NULL and '' alike, as no bytes, and reads them back as NULL.
            EmptyAsNull(sink);
            EmptyAsNull(expected);
        }
        var actual = Canonical(sink);
        var wanted = Canonical(expected);
        Count("oracle compared");
        if (!actual.SequenceEqual(wanted))
        {
            Fail($"{query.SinkSql} against {string.Join(" UNION ALL ", query.Oracles)}\n    -> "
                + $"{Difference(actual, wanted)}\n    created by {query.CreateSql}");
            query.Checked = false;
        }
    }
}
