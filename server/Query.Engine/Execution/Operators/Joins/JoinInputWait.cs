namespace Query.Engine.Execution.Operators.Joins;

/// <summary>Waits until either input of a two-input join has data to read (one wait for every join operator).</summary>
internal static class JoinInputWait
{
    /// <summary>
    /// Returns when <paramref name="left"/> or <paramref name="right"/> has data; an input that has ended is not
    /// waited for. The other input's wait is cancelled once one has data.
    /// </summary>
    public static async ValueTask WaitForEitherAsync(Func<CancellationToken, ValueTask> left, bool leftEnded,
        Func<CancellationToken, ValueTask> right, bool rightEnded, CancellationToken cancellationToken)
    {
        if (leftEnded || rightEnded)
        {
            await (leftEnded ? right : left)(cancellationToken);
            return;
        }
        using var any = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = new[] { left(any.Token).AsTask(), right(any.Token).AsTask() };
        var first = await Task.WhenAny(waits);
        await any.CancelAsync();
        try
        {
            await Task.WhenAll(waits);
        }
        catch (Exception) when (first.IsCompletedSuccessfully && !cancellationToken.IsCancellationRequested)
        {
            // The other wait was cancelled because one input has data.
        }
    }

    /// <summary>Returns when any input not ended has data (a join of more than two tables); the other waits are
    /// cancelled once one has data.</summary>
    public static async ValueTask WaitForAnyAsync(IReadOnlyList<(Func<CancellationToken, ValueTask> Wait, bool Ended)>
        inputs, CancellationToken cancellationToken)
    {
        using var any = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = new List<Task>(inputs.Count);
        foreach (var (wait, ended) in inputs)
        {
            if (!ended)
                waits.Add(wait(any.Token).AsTask());
        }
        if (waits.Count == 0)
            return;
        var first = await Task.WhenAny(waits);
        await any.CancelAsync();
        try
        {
            await Task.WhenAll(waits);
        }
        catch (Exception) when (first.IsCompletedSuccessfully && !cancellationToken.IsCancellationRequested)
        {
            // The other waits were cancelled because one input has data.
        }
    }
}
