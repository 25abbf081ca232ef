namespace Query.Engine.Tests;

/// <summary>
/// The setting of the tests of a persistent query's state snapshots: an engine that commits every 5 ms and snapshots
/// a state log once <see cref="SnapshotMinRecords"/> records have followed the last snapshot, the statements a test
/// class starts from, the one persistent query its tests run, and the restart whose replay they measure.
/// </summary>
public abstract class PersistentStateTestBase(params string[] setup) : IAsyncLifetime
{
    protected const int SnapshotMinRecords = 40;
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    protected EngineFixture Db { get; } = new(options => options with
    {
        PersistentCommitIntervalMs = 5,
        PersistentSnapshotMinRecords = SnapshotMinRecords,
    });

    public async Task InitializeAsync() => await Db.ExecAllAsync(setup);

    public async Task DisposeAsync() => await Db.DisposeAsync();

    private protected Persistent.PersistentQuery Query() => Db.Engine.Queries.List().Single();

    /// <summary>Restarts the engine and returns how many state records the query replayed, once it has restored its
    /// state (it reports lag 0 from its checkpoint already before).</summary>
    protected async Task<long> RestartAndReplayAsync()
    {
        await Db.RestartAsync();
        await Db.Engine.WaitForPersistentQueriesAsync(Timeout);
        var deadline = DateTime.UtcNow + Timeout;
        while (Query().StateRecordsReplayed == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        return Query().StateRecordsReplayed;
    }
}
