namespace Query.Engine.Execution.Operators.Joins;

/// <summary>
/// A streaming join read by another streaming join (a multi-way join is a chain of binary join operators, each
/// taking the one before it as its left input). The reader merges its two inputs by time, so it reads each without
/// waiting and waits for either itself.
/// </summary>
internal interface IStreamingJoinInput
{
    /// <summary>
    /// The joined rows ready now (each the input's columns followed by its ROWTIME): an empty batch when nothing is
    /// ready, null when the input has ended. The batch is overwritten by the next call.
    /// </summary>
    RowBatch? ReadAvailable(CancellationToken cancellationToken);

    /// <summary>Returns when the input may have rows to read.</summary>
    ValueTask WaitForDataAsync(CancellationToken cancellationToken);
}
