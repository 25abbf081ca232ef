namespace Query.Engine.Execution.Operators;

/// <summary>How large a batch of records may grow: a row count, and a byte size of record values.</summary>
public sealed record BatchLimits(int Rows, int Bytes)
{
    public static BatchLimits Default { get; } = new(1024, 1 << 20);
}
