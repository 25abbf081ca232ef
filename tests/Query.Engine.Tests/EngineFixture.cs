using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Storage.Reading;
using Query.Testing;

namespace Query.Engine.Tests;

/// <summary>An engine over a fresh temp directory, with helpers to run SQL and read rows as objects.</summary>
public sealed class EngineFixture : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("engine-test");
    private readonly IPartitionSourceFactory? _partitionSources;
    private readonly Func<EngineOptions, EngineOptions> _configure;

    /// <param name="partitionSources">The engine's partition sources; the hot log when null.</param>
    public EngineFixture(IPartitionSourceFactory? partitionSources = null)
        : this(options => options, partitionSources)
    {
    }

    /// <param name="configure">Changes the engine's options (a small limit, say).</param>
    /// <param name="partitionSources">The engine's partition sources; the hot log when null.</param>
    public EngineFixture(Func<EngineOptions, EngineOptions> configure,
        IPartitionSourceFactory? partitionSources = null)
    {
        _configure = configure;
        _partitionSources = partitionSources;
        Engine = QueryEngine.Open(Options());
        Session = Engine.CreateSession();
    }


    public QueryEngine Engine { get; private set; }

    public EngineSession Session { get; private set; }

    public string DataDirectory => _directory.Path;

    /// <summary>Closes the engine and opens a new one over the same directory (a restart).</summary>
    public async Task RestartAsync()
    {
        await Engine.DisposeAsync();
        Engine = QueryEngine.Open(Options());
        Session = Engine.CreateSession();
    }

    private EngineOptions Options() =>
        _configure(new EngineOptions { DataDirectory = _directory.Path, PartitionSources = _partitionSources });

    public async Task<string?> ExecAsync(string sql)
    {
        await using var result = await Session.ExecuteAsync(sql);
        if (result.Rows is not null)
        {
            while (await result.Rows.ReadAsync())
            {
            }
        }
        return result.CommandTag;
    }

    public async Task ExecAllAsync(params string[] statements)
    {
        foreach (var sql in statements)
            await ExecAsync(sql);
    }

    public async Task<List<object?[]>> QueryAsync(string sql, params object?[] parameters)
    {
        var prepared = Session.Prepare(sql);
        await using var result = await Session.ExecuteAsync(prepared, parameters);
        return await ReadAllAsync(result.Rows!);
    }

    public static async Task<List<object?[]>> ReadAllAsync(RowReader rows, int max = int.MaxValue,
        CancellationToken cancellationToken = default)
    {
        var list = new List<object?[]>();
        while (list.Count < max && await rows.ReadAsync(cancellationToken))
        {
            var row = new object?[rows.Columns.Count];
            for (var i = 0; i < row.Length; i++)
                row[i] = rows.GetValue(i);
            list.Add(row);
        }
        return list;
    }

    public async Task<SqlException> FailsAsync(string sql)
    {
        return await Assert.ThrowsAsync<SqlException>(async () =>
        {
            await ExecAsync(sql);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        _directory.Dispose();
    }
}
