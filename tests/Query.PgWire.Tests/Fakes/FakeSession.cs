using System.Text;
using System.Text.RegularExpressions;
using Query.PgWire.Types;

namespace Query.PgWire.Tests.Fakes;

public sealed class FakeSessionFactory : IPgSessionFactory
{
    public FakeSessionFactory(FakeDatabase database) => Database = database;

    public FakeDatabase Database { get; }

    public PgSessionContext? LastContext { get; private set; }

    public ValueTask<IPgSession> OpenSessionAsync(PgSessionContext context, CancellationToken cancellationToken)
    {
        if (context.Database == "missing")
            throw new PgException("3D000", "database \"missing\" does not exist", fatal: true);
        LastContext = context;
        return ValueTask.FromResult<IPgSession>(new FakeSession(Database));
    }
}

/// <summary>
/// A session over <see cref="FakeDatabase"/> that understands just enough SQL for the wire tests:
/// <c>SELECT item, …</c> where an item is <c>$n[::type]</c>, <c>'literal'[::type]</c>, an integer or <c>boom()</c>;
/// <c>SELECT * FROM table</c>; <c>SELECT * FROM ticks EMIT CHANGES [LIMIT n]</c>; <c>SHOW STREAMS</c>;
/// <c>INSERT INTO t …</c> (tag only). Anything else is a 42601 syntax error at position 1.
/// </summary>
public sealed partial class FakeSession : IPgSession
{
    private readonly FakeDatabase _database;

    public FakeSession(FakeDatabase database) => _database = database;

    public IReadOnlyList<PgStatementText> SplitStatements(string sql) => PgSqlSplitter.Split(sql);

    public IPgStatement Prepare(string sql, ReadOnlySpan<int> parameterTypeOids)
    {
        var text = sql.Trim().TrimEnd(';').Trim();
        if (text.Equals("SHOW STREAMS", StringComparison.OrdinalIgnoreCase))
            return FakeStatement.Rows([new("name", PgTypeOid.Text)], Streams());
        if (text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase))
            return FakeStatement.Command("INSERT 0 1");
        var push = PushQuery().Match(text);
        if (push.Success)
            return FakeStatement.Push(_database, push.Groups[1].Success ? int.Parse(push.Groups[1].Value) : 0);
        var scan = TableScan().Match(text);
        if (scan.Success)
        {
            if (!_database.TryGetTable(scan.Groups[1].Value, out var table))
                throw new PgException(PgSqlState.UndefinedTable, $"relation \"{scan.Groups[1].Value}\" does not exist",
                    position: scan.Groups[1].Index + 1);
            return FakeStatement.Rows(table.Columns, [.. table.Rows]);
        }
        if (text.StartsWith("SELECT ", StringComparison.OrdinalIgnoreCase))
            return FakeStatement.Projection(text[7..], 8, parameterTypeOids);
        throw PgException.Syntax($"syntax error at or near \"{text.Split(' ')[0]}\"", 1);
    }

    public IPgCopySink OpenCopyIn(string relation, IReadOnlyList<string>? columns)
    {
        if (!_database.TryGetTable(relation, out var table))
            throw new PgException(PgSqlState.UndefinedTable, $"relation \"{relation}\" does not exist");
        return new FakeCopySink(table);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private List<object?[]> Streams()
    {
        var rows = new List<object?[]>();
        foreach (var table in _database.Tables)
        {
            if (table.Kind == "stream")
                rows.Add([table.Name]);
        }
        return rows;
    }

    [GeneratedRegex(@"^SELECT \* FROM ticks EMIT CHANGES(?: LIMIT (\d+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex PushQuery();

    [GeneratedRegex(@"^SELECT \* FROM \""?(\w+)\""?$", RegexOptions.IgnoreCase)]
    private static partial Regex TableScan();
}

/// <summary>Buffers decoded rows and appends them to the table only at commit (all or nothing).</summary>
public sealed class FakeCopySink : IPgCopySink
{
    private readonly FakeTable _table;
    private readonly List<object?[]> _rows = [];

    public FakeCopySink(FakeTable table) => _table = table;

    public IReadOnlyList<PgColumn> Columns => _table.Columns;

    public void Append(PgValues row)
    {
        var values = new object?[row.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = FakeValues.Decode(row, i);
        _rows.Add(values);
    }

    public ValueTask<long> CommitAsync(CancellationToken cancellationToken)
    {
        lock (_table.Rows)
            _table.Rows.AddRange(_rows);
        return ValueTask.FromResult((long)_rows.Count);
    }

    /// <summary>Lanes when the table allows them (<see cref="FakeTable.CopyLanes"/>): rows parsed on other threads.
    /// </summary>
    public IPgCopySink? OpenLane()
    {
        if (!_table.CopyLanes)
            return null;
        Interlocked.Increment(ref _table.LanesOpened);
        return new FakeCopySink(_table);
    }

    public void AppendLane(IPgCopySink lane)
    {
        var rows = ((FakeCopySink)lane)._rows;
        _rows.AddRange(rows);
        rows.Clear();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Typed decode/encode so intervals keep months and days (the boxed GetValue folds them into a
/// TimeSpan).</summary>
public static class FakeValues
{
    public static object? Decode(PgValues values, int index)
    {
        if (values.IsNull(index))
            return null;
        return values.TypeOid(index) switch
        {
            PgTypeOid.Interval => values.GetInterval(index),
            PgTypeOid.Time => new TimeOfDay(values.GetTimeMicros(index)),
            _ => values.GetValue(index),
        };
    }

    public static void Write(PgRowWriter writer, object? value)
    {
        switch (value)
        {
            case ValueTuple<long, int, int> interval:
                writer.WriteInterval(interval.Item1, interval.Item2, interval.Item3);
                break;
            case TimeOfDay time: writer.WriteTime(time.Micros); break;
            default: writer.WriteValue(value); break;
        }
    }

    public static Encoding Utf8 => Encoding.UTF8;
}

public readonly record struct TimeOfDay(long Micros);
