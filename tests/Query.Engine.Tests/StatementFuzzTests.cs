using Query.Engine.Errors;
using Xunit.Abstractions;

namespace Query.Engine.Tests;

/// <summary>
/// Generated statement sequences (<see cref="StatementFuzzGenerator"/>) over a small schema: persistent queries
/// (CSAS, CTAS, INSERT INTO ... SELECT, windows, joins, PARTITION BY), table upserts / ON CONFLICT / DELETE, push
/// queries with LIMIT, DDL while queries run, restarts, pull queries with joins and subqueries, prepared statements
/// with parameters of the wrong type. Every statement answers rows or a SQLSTATE other than XX000 within a bound;
/// every persistent query reaches lag 0 or stops with a SQL error; and where an oracle is cheap the answer is
/// checked: a sink against the same SELECT as a pull query, the table t1 against a model of its writes, a push
/// query's rows against its pull twin, and COUNT(*) of WHERE p, NOT p and p IS NULL against the whole.
/// <c>QUERY_FUZZ_SEQUENCE_STATEMENTS</c> (count) and <c>QUERY_FUZZ_SEED</c> run longer or other searches.
/// </summary>
public sealed partial class StatementFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StatementBound = TimeSpan.FromSeconds(30);

    /// <summary>Statements between two checks of the persistent queries, and per engine (a fresh directory).
    /// </summary>
    private const int CheckEvery = 25;
    private const int EngineEvery = 150;

    private readonly ITestOutputHelper _output = output;
    private readonly List<string> _failures = [];
    private readonly Dictionary<string, int> _outcomes = [];
    private readonly Dictionary<string, List<string>> _samples = [];
    /// <summary>Statements prepared once and executed again after DDL changed what they read.</summary>
    private readonly Dictionary<string, PreparedStatement> _held = [];
    private EngineFixture _db = null!;
    private StatementFuzzGenerator _generator = null!;

    [Fact]
    public async Task Generated_statement_sequences_answer_rows_or_a_sqlstate_and_match_their_oracles()
    {
        var seed = FuzzSettings.FromEnvironment("QUERY_FUZZ_SEED", 20_261_207);
        var count = FuzzSettings.FromEnvironment("QUERY_FUZZ_SEQUENCE_STATEMENTS", 300);
        var random = new Random(seed);
        var log = new List<string>();
        for (var i = 0; i < count && _failures.Count < 20; i++)
        {
            if (i % EngineEvery == 0)
                await OpenAsync(random, log);
            var step = _generator.Next();
            log.Add(step.Kind == FuzzKind.Partition ? $"TLP {step.From} / {step.Sql}" : step.Sql);
            var before = _failures.Count;
            await RunAsync(step);
            if ((i + 1) % CheckEvery == 0 || i + 1 == count)
                await CheckQueriesAsync();
            if (_failures.Count > before)
            {
                _failures[^1] += $"\n    (statement {i}, seed {seed}; the engine's statements so far:\n      "
                    + string.Join("\n      ", log.TakeLast(40)) + ")";
            }
        }
        await _db.DisposeAsync();
        foreach (var (key, value) in _outcomes.OrderByDescending(p => p.Value))
            _output.WriteLine($"{value,6} {key}");
        foreach (var (state, list) in _samples)
            _output.WriteLine($"{state}:\n  {string.Join("\n  ", list)}");
        Assert.True(_failures.Count == 0, $"seed {seed}: {_failures.Count} failures:\n"
            + string.Join("\n", _failures.Take(10)));
    }

    private async Task OpenAsync(Random random, List<string> log)
    {
        if (_db is not null)
            await _db.DisposeAsync();
        log.Clear();
        _held.Clear();
        _db = new EngineFixture();
        _generator = new StatementFuzzGenerator(random);
        await _db.ExecAllAsync(StatementFuzzGenerator.Schema);
        await _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");
    }

    private void Count(string outcome)
    {
        lock (_outcomes)
            _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
    }

    /// <summary>Keeps a few statements per SQLSTATE, to tell what the generator mostly gets refused.</summary>
    private void Sample(string state, string text)
    {
        lock (_outcomes)
            SampleLocked(state, text);
    }

    private void SampleLocked(string state, string text)
    {
        if (!_samples.TryGetValue(state, out var list))
            _samples[state] = list = [];
        if (list.Count < 4)
            list.Add(text);
    }

    private void Fail(string what)
    {
        lock (_failures)
            _failures.Add(what);
    }

    /// <summary>Runs <paramref name="sql"/>: its rows, or the SqlException; anything else is a failure.</summary>
    /// <remarks>With <paramref name="session"/> (another session, for statements run at once) the statement may
    /// be cancelled after <paramref name="cancelAfter"/>: 57014, not a hang.</remarks>
    private async Task<(List<object?[]>? Rows, string? Tag, SqlException? Error)> TryAsync(string sql,
        object?[]? parameters = null, bool held = false, EngineSession? session = null, TimeSpan? cancelAfter = null)
    {
        session ??= _db.Session;
        using var cancel = new CancellationTokenSource(cancelAfter ?? StatementBound);
        try
        {
            if (!held || !_held.TryGetValue(sql, out var prepared))
            {
                prepared = session.Prepare(sql);
                if (held)
                    _held[sql] = prepared;
            }
            await using var result = await session.ExecuteAsync(prepared, parameters, cancel.Token)
                .AsTask().WaitAsync(StatementBound);
            var rows = result.Rows is null ? null
                : await EngineFixture.ReadAllAsync(result.Rows, cancellationToken: cancel.Token)
                    .WaitAsync(StatementBound);
            return (rows, result.CommandTag, null);
        }
        catch (SqlException e) when (e.SqlState == SqlState.QueryCanceled && cancel.IsCancellationRequested)
        {
            if (cancelAfter is null)
                Fail($"{sql}\n    -> took longer than {StatementBound} (a hang)");
            else
                Count("cancelled as planned");
            return (null, null, e);
        }
        catch (SqlException e)
        {
            Count(e.SqlState);
            Sample(e.SqlState, $"{sql} -> {e.Message}");
            if (e.SqlState == SqlState.InternalError)
                Fail($"{sql}\n    -> XX000: {e.Message}");
            return (null, null, e);
        }
        catch (Grammar.SqlSyntaxException e)
        {
            Count("42601");
            Sample("42601", $"{sql} -> {e.Message}");
            return (null, null, new SqlException(SqlState.SyntaxError, e.Message));
        }
        catch (TimeoutException)
        {
            Fail($"{sql}\n    -> took longer than {StatementBound} (a hang)");
            return (null, null, new SqlException(SqlState.QueryCanceled, "timeout"));
        }
        catch (Exception e)
        {
            Fail($"{sql}\n    -> {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            return (null, null, new SqlException(SqlState.InternalError, e.Message));
        }
    }

    private async Task RunAsync(FuzzStep step)
    {
        switch (step.Kind)
        {
            case FuzzKind.Restart:
                await _db.RestartAsync();
                _held.Clear();
                await _db.ExecAsync("SET 'auto.offset.reset' = 'earliest'");
                Count("restart");
                return;
            case FuzzKind.Push:
                await PushAsync(step);
                return;
            case FuzzKind.Partition:
                await PartitionAsync(step);
                return;
            case FuzzKind.Terminate:
                await TerminateAsync(step);
                return;
            case FuzzKind.Concurrent:
                await ConcurrentAsync(step);
                return;
        }
        var (rows, tag, error) = await TryAsync(step.Sql, step.Parameters, step.Held);
        if (error is null)
            Count($"ok {step.Kind}");
        switch (step.Kind)
        {
            case FuzzKind.CreateQuery when error is null:
                step.Query!.Running = true;
                step.Query.CreateSql = step.Sql;
                _generator.Queries.Add(step.Query);
                break;
            case FuzzKind.Plain when error is null && step.Query is not null:
                step.Query.Checked = false; // CREATE OR REPLACE of a query: its sink has both queries' rows
                break;
            case FuzzKind.InsertSelect when error is null:
                step.Apply!();
                break;
            case FuzzKind.DropInUse when error is null:
                Fail($"{step.Sql}\n    -> dropped a relation a running query uses");
                break;
            case FuzzKind.TableWrite:
                await CheckTableWriteAsync(step, tag, error);
                break;
        }
        _ = rows;
    }
}
