namespace Query.Engine;

public sealed partial class QueryEngine
{
    /// <summary>
    /// Waits until every running persistent query has committed everything its source holds (lag 0), for tests
    /// and tools that read a query's output; false when <paramref name="timeout"/> passed first. A query in
    /// ERROR counts as settled (SHOW QUERIES tells why).
    /// </summary>
    public async Task<bool> WaitForPersistentQueriesAsync(TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds
            * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            if (AllCaughtUp())
                return true;
            if (TimeProvider.System.GetTimestamp() > deadline)
                return false;
            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>"id: message" for every persistent query that stopped with an error.</summary>
    public IReadOnlyList<string> PersistentQueryErrors()
    {
        var errors = new List<string>();
        foreach (var query in Queries.List())
        {
            if (query.State == Persistent.PersistentQueryState.Error)
                errors.Add($"{query.Definition.Id}: {query.Error}");
        }
        return errors;
    }

    /// <summary>The latest rows persistent queries skipped (processing log), newest last per query.</summary>
    public IReadOnlyList<string> PersistentQuerySkippedRows()
    {
        var skipped = new List<string>();
        foreach (var query in Queries.List())
            skipped.AddRange(query.RecentErrors);
        return skipped;
    }

    private bool AllCaughtUp()
    {
        foreach (var query in Queries.List())
        {
            if (query.State == Persistent.PersistentQueryState.Running && !query.CaughtUp)
                return false;
        }
        return true;
    }
}
