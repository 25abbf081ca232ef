using System.Globalization;
using System.Text;

namespace Query.Engine.Tests;

/// <summary>What the runner does with a generated statement.</summary>
internal enum FuzzKind
{
    /// <summary>Any statement: rows or a SQLSTATE other than XX000.</summary>
    Plain,
    /// <summary>Creates a persistent query whose sink <see cref="FuzzStep.Query"/> describes.</summary>
    CreateQuery,
    /// <summary>An INSERT INTO ... SELECT adding a writer to an existing sink.</summary>
    InsertSelect,
    /// <summary>A push query with LIMIT: it must end with LIMIT rows, each one a row of its pull twin.</summary>
    Push,
    /// <summary>A write to the modelled table t1 (upsert, ON CONFLICT, DELETE).</summary>
    TableWrite,
    /// <summary>Ternary logic partitioning: COUNT(*) WHERE p + WHERE NOT p + WHERE p IS NULL = COUNT(*).</summary>
    Partition,
    /// <summary>A prepared statement executed with the given parameter values (often of the wrong type).</summary>
    Prepared,
    /// <summary>TERMINATE of the query writing the sink named in the step, then maybe DROP of the sink.</summary>
    Terminate,
    /// <summary>DROP of a relation a running query reads or writes: it must be refused (2BP01).</summary>
    DropInUse,
    /// <summary>Statements run at once from several sessions (<see cref="FuzzStep.Together"/>) after the setup
    /// in <see cref="FuzzStep.Sql"/> (statements separated by ';').</summary>
    Concurrent,
    /// <summary>Closes and reopens the engine over the same directory.</summary>
    Restart,
}

/// <summary>A persistent query's sink and how to check it at lag 0: the sink's rows (read by
/// <see cref="SinkSql"/>) are the union of the rows of the pull queries <see cref="Oracles"/> (none: not checked).
/// A table sink may hold emptied groups (<see cref="DropZeroCount"/>: rows whose column c is 0 are left out).
/// </summary>
internal sealed class FuzzQuery(string sink, bool isTable, string sinkSql, string? oracle)
{
    public string Sink { get; } = sink;
    public bool IsTable { get; } = isTable;
    public string SinkSql { get; } = sinkSql;
    public List<string> Oracles { get; } = oracle is null ? [] : [oracle];
    public bool Checked { get; set; } = oracle is not null;
    public bool DropZeroCount { get; init; }
    public bool DropNullFirst { get; init; }
    public List<string> Sources { get; } = [];
    /// <summary>Pull queries that must answer for the oracle to hold (a PARTITION BY that fails skips rows).
    /// </summary>
    public List<string> Guards { get; } = [];
    /// <summary>The sink's VALUE_FORMAT when the CREATE names one.</summary>
    public string? Format { get; init; }
    /// <summary>Rows whose column of this index is NULL do not read back (see the DELIMITED format).</summary>
    public int? NullSkippedColumn { get; init; }
    /// <summary>The statement that created the query.</summary>
    public string CreateSql { get; set; } = "";
    /// <summary>The query is running (created, not terminated).</summary>
    public bool Running { get; set; }
    /// <summary>A CSAS's SELECT with <c>{0}</c> for its source: what INSERT INTO ... SELECT adds from the other.
    /// </summary>
    public string? InsertTemplate { get; init; }
}

internal sealed record FuzzStep(FuzzKind Kind, string Sql)
{
    public FuzzQuery? Query { get; init; }
    public object?[]? Parameters { get; init; }
    /// <summary>For <see cref="FuzzKind.Concurrent"/>: the statements run at once, one session each.</summary>
    public string[]? Together { get; init; }
    /// <summary>For <see cref="FuzzKind.Concurrent"/>: ON CONFLICT increments of one key (their count is the
    /// key's value at the end).</summary>
    public string? Counter { get; init; }
    /// <summary>Prepared once per engine and executed again, across the DDL in between.</summary>
    public bool Held { get; init; }
    /// <summary>For <see cref="FuzzKind.Push"/>: the pull query whose rows the push rows must be among.</summary>
    public string? Twin { get; init; }
    /// <summary>For <see cref="FuzzKind.TableWrite"/>: applies the write to the model when the statement succeeds.
    /// </summary>
    public Action? Apply { get; init; }
    /// <summary>For <see cref="FuzzKind.TableWrite"/>: the SQLSTATE the model expects, null for success.</summary>
    public string? ExpectedState { get; init; }
    /// <summary>For <see cref="FuzzKind.TableWrite"/>: the command tag the model expects.</summary>
    public string? ExpectedTag { get; init; }
    /// <summary>For <see cref="FuzzKind.Push"/>: how many rows the pull twin has, as a pull query.</summary>
    public string? CountSql { get; init; }
    /// <summary>For <see cref="FuzzKind.Partition"/>: the FROM clause and the predicate.</summary>
    public string? From { get; init; }
}

/// <summary>
/// Generates statement sequences over a small schema: two streams of the same shape (s1, s2), a modelled table t1
/// and a table t2; persistent queries (CSAS, CTAS, INSERT INTO ... SELECT, windows, joins, PARTITION BY), table
/// writes, push queries, DDL while queries run, pull queries with joins and subqueries, prepared statements.
/// </summary>
internal sealed partial class StatementFuzzGenerator(Random random)
{
    private const string StreamColumns = "k INT KEY, v INT, d DOUBLE, s STRING, f BOOLEAN, b BIGINT, "
        + "m DECIMAL(10, 2), t TIMESTAMP, a ARRAY<INT>, mp MAP<STRING, INT>, st STRUCT<x INT, z STRING>";

    public static readonly string[] Schema =
    [
        $"CREATE STREAM s1 ({StreamColumns}) WITH (PARTITIONS = 2)",
        $"CREATE STREAM s2 ({StreamColumns}) WITH (PARTITIONS = 2, VALUE_FORMAT = 'JSON')",
        "CREATE TABLE t1 (id INT PRIMARY KEY, name STRING, n INT) WITH (PARTITIONS = 2)",
        "CREATE TABLE t2 (id INT PRIMARY KEY, x INT) WITH (PARTITIONS = 2)",
    ];

    private readonly Random _random = random;
    private int _sinks;
    private long _rowTime = 1_000_000;

    /// <summary>The model of t1: its latest row per key.</summary>
    public Dictionary<int, (string? Name, int? N)> Table { get; } = [];

    public List<FuzzQuery> Queries { get; } = [];

    /// <summary>Rows written to s1 (and s2): push queries ask for at most this many.</summary>
    public int[] StreamRows { get; } = new int[2];

    private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

    private bool Chance(int percent) => _random.Next(100) < percent;

    public FuzzStep Next()
    {
        var roll = _random.Next(100);
        return roll switch
        {
            < 16 => InsertStream(),
            < 26 => TableWrite(),
            < 36 => CreateStreamQuery(),
            < 43 => CreateAggregateQuery(),
            < 47 => CreateWindowedQuery(),
            < 53 => CreateJoinQuery(),
            < 56 => InsertSelect(),
            < 63 => Push(),
            < 72 => Partition(),
            < 80 => PullQuery(),
            < 86 => Prepared(),
            < 90 => Terminate(),
            < 93 => DropInUse(),
            < 95 => Scratch(),
            < 97 => Concurrent(),
            < 99 => Show(),
            _ => new FuzzStep(FuzzKind.Restart, "-- restart"),
        };
    }

    private string Literal(string type) => type switch
    {
        "INT" => Chance(10) ? "NULL" : _random.Next(-3, 11).ToString(CultureInfo.InvariantCulture),
        "DOUBLE" => Pick("NULL", "0.0", "-1.5", "2.25", "1E10", "-0.0", "3.0"),
        "STRING" => Pick("NULL", "'a'", "'ab'", "'b'", "''", "'é'", "'a%'"),
        "BIGINT" => Pick("NULL", "0", "-1", "9223372036854775807", "-9223372036854775808", "123456789012"),
        "DECIMAL" => Pick("NULL", "0.00", "-1.5", "99999999.99", "0.01", "-0.10"),
        "TIMESTAMP" => Pick("NULL", "TIMESTAMP '2024-02-29 12:00:00'", "TIMESTAMP '1970-01-01 00:00:00'",
            "TIMESTAMP '2024-01-01 00:00:00.123'", "TIMESTAMP '1969-12-31 23:59:59.999'"),
        "ARRAY" => Pick("NULL", "ARRAY[1, NULL, 3]", "ARRAY[-1]", "ARRAY[2147483647, 0]"),
        "MAP" => Pick("NULL", "MAP('a' := 1)", "MAP('a' := NULL, 'b' := 2)", "MAP('' := -1)"),
        "STRUCT" => Pick("NULL", "STRUCT(x := 1, z := 'q')",
            "STRUCT(x := CAST(NULL AS INT), z := CAST(NULL AS STRING))",
            "STRUCT(x := -5, z := '')"),
        _ => Pick("NULL", "TRUE", "FALSE"),
    };

    private FuzzStep InsertStream()
    {
        var stream = _random.Next(2);
        var rows = new StringBuilder();
        var count = _random.Next(1, 6);
        for (var i = 0; i < count; i++)
        {
            // Event time moves forward by a second a row, up to 3 s out of order.
            _rowTime += 1000;
            var time = _rowTime + _random.Next(-3000, 3000);
            rows.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture,
                $"({_random.Next(0, 8)}, {Literal("INT")}, {Literal("DOUBLE")}, {Literal("STRING")}, "
                + $"{Literal("BOOLEAN")}, {Literal("BIGINT")}, {Literal("DECIMAL")}, {Literal("TIMESTAMP")}, "
                + $"{Literal("ARRAY")}, {Literal("MAP")}, {Literal("STRUCT")}, {time})");
        }
        StreamRows[stream] += count;
        return new FuzzStep(FuzzKind.Plain,
            $"INSERT INTO s{stream + 1} (k, v, d, s, f, b, m, t, a, mp, st, ROWTIME) VALUES {rows}");
    }

    /// <summary>An INT expression over a row of s1 / s2 (qualified by <paramref name="q"/>).</summary>
    private string IntExpr(string q = "") => Pick(
        $"{q}k", $"{q}v", $"{q}v", $"({q}v + {q}k)", $"({q}v * 2)", $"({q}v % 3)", $"ABS({q}v)", $"LEN({q}s)",
        $"CASE WHEN {q}f THEN {q}v ELSE {q}k END", $"COALESCE({q}v, 0)", $"(100 / {q}v)", $"CAST({q}d AS INT)",
        $"({q}k - 4)", $"GREATEST({q}v, {q}k)", $"IFNULL({q}v, -1)");

    private string DoubleExpr(string q = "") => Pick(
        $"{q}d", $"({q}d * 2)", $"({q}v / 2.0)", $"ROUND({q}d, 1)", $"CAST({q}v AS DOUBLE)", $"({q}d + {q}v)");

    private string StringExpr(string q = "") => Pick(
        $"{q}s", $"UCASE({q}s)", $"({q}s || 'x')", $"CONCAT({q}s, CAST({q}v AS STRING))", $"SUBSTRING({q}s, 1, 1)",
        $"CAST({q}k AS STRING)", $"TRIM({q}s)", $"REPLACE({q}s, 'a', 'z')");

    private string Predicate(string q = "", int depth = 2)
    {
        if (Chance(8))
            return Wild(3, q);
        if (depth > 0 && Chance(30))
        {
            var op = Pick("AND", "OR");
            return $"({Predicate(q, depth - 1)} {op} {Predicate(q, depth - 1)})";
        }
        return _random.Next(12) switch
        {
            0 => $"{IntExpr(q)} {Pick("=", "<>", "<", "<=", ">", ">=")} {_random.Next(-2, 9)}",
            1 => $"{q}v IS {Pick("", "NOT ")}NULL",
            2 => $"{StringExpr(q)} {Pick("", "NOT ")}LIKE {Pick("'a%'", "'%b'", "'_'", "'%'", "''")}",
            3 => $"{q}f",
            4 => $"NOT {q}f",
            5 => $"{DoubleExpr(q)} BETWEEN {Pick("-1", "0", "1.5")} AND {Pick("2", "3.5", "1E11")}",
            6 => $"{IntExpr(q)} {Pick("", "NOT ")}IN ({_random.Next(0, 4)}, {_random.Next(4, 9)}, NULL)",
            7 => $"{StringExpr(q)} {Pick("=", "<", ">=")} {Pick("'a'", "'b'", "''")}",
            8 => $"{q}d {Pick("=", "<", ">")} {Pick("0", "-0.0", "2.25", "1E10")}",
            9 => $"{q}ROWTIME {Pick("<", ">=")} {_rowTime - _random.Next(0, 20_000)}",
            10 => $"{IntExpr(q)} IS DISTINCT FROM {IntExpr(q)}",
            _ => $"({q}v > {q}k) {Pick("=", "<>")} {q}f",
        };
    }

    /// <summary>Projection items with aliases c0, c1, ... and the key k first, or not.</summary>
    private List<(string Expression, string Alias)> Projection(string q = "")
    {
        var items = new List<(string, string)>();
        if (Chance(60))
            items.Add(($"{q}k", "k"));
        var count = _random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var expression = _random.Next(5) switch
            {
                0 => IntExpr(q),
                1 => DoubleExpr(q),
                2 => StringExpr(q),
                3 => q + Pick("b", "m", "t", "a", "mp", "st", "st->z", "a[2]", "ROWTIME", "f"),
                _ => Wild(3, q),
            };
            items.Add((expression, $"c{i}"));
        }
        return items;
    }

    private string NewSink(string prefix) => $"{prefix}{++_sinks}";

    private FuzzStep CreateStreamQuery()
    {
        var chained = Queries.Where(q => !q.IsTable && q.Checked).ToList();
        if (chained.Count > 0 && Chance(15))
        {
            // A query over another query's sink.
            var over = chained[_random.Next(chained.Count)];
            var chainSink = NewSink("q");
            var chain = new FuzzQuery(chainSink, false, $"SELECT * FROM {chainSink}", $"SELECT * FROM {over.Sink}");
            chain.Sources.Add(over.Sink);
            return new FuzzStep(FuzzKind.CreateQuery,
                $"CREATE STREAM {chainSink} AS SELECT * FROM {over.Sink} EMIT CHANGES")
            { Query = chain };
        }
        var items = Projection();
        var select = string.Join(", ", items.Select(i => $"{i.Expression} AS {i.Alias}"));
        var names = string.Join(", ", items.Select(i => i.Alias));
        var where = Chance(60) ? $" WHERE {Predicate()}" : "";
        var partitionExpression = Pick("v", "s", "k", "d", "m", "t", "b", Wild(2));
        var partitionBy = Chance(20) ? $" PARTITION BY {partitionExpression}" : "";
        var format = Chance(40) ? Pick("JSON", "DELIMITED", "KAFKA", "PROTOBUF_NOSR", "BINARY") : null;
        var properties = new List<string>();
        if (Chance(20))
            properties.Add($"PARTITIONS = {_random.Next(1, 4)}");
        if (format is not null)
            properties.Add($"VALUE_FORMAT = '{format}'");
        if (Chance(10))
            properties.Add($"KEY_FORMAT = '{Pick("JSON", "DELIMITED", "KAFKA")}'");
        var with = properties.Count > 0 ? $" WITH ({string.Join(", ", properties)})" : "";
        var sink = NewSink("q");
        var source = Pick("s1", "s2");
        var query = new FuzzQuery(sink, false, $"SELECT {names} FROM {sink}",
            $"SELECT {select} FROM {source}{where}")
        {
            InsertTemplate = partitionBy.Length == 0 ? $"SELECT {select} FROM {{0}}{where}" : null,
            Format = format,
            // One DELIMITED value column that is NULL writes an empty value, which does not decode (ksqlDB's
            // "No fields in record"): the row is skipped and counted when read.
            // (The source key selected under any alias is the key.)
            NullSkippedColumn = format == "DELIMITED" && items.Count(i => i.Expression != "k") == 1
                && (items.Count == 1 || partitionBy is "" or " PARTITION BY k")
                ? items.FindIndex(i => i.Expression != "k") : null,
        };
        // Protobuf has no NULL scalars (a NULL reads back as 0, '', false, as in ksqlDB).
        query.Checked = format != "PROTOBUF_NOSR" && IsDeterministic(select + where + partitionBy);
        // A row whose PARTITION BY fails is skipped (and counted): compare only where it fails for none.
        if (partitionBy.Length > 0)
            query.Guards.Add($"SELECT {partitionExpression} FROM {source}{where}");
        query.Sources.Add(source);
        return new FuzzStep(FuzzKind.CreateQuery,
            $"CREATE STREAM {sink}{with} AS SELECT {select} FROM {source}{where}{partitionBy} EMIT CHANGES")
        {
            Query = query,
        };
    }
}
