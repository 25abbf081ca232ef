namespace Query.Storage;

/// <summary>The offsets assigned to an acknowledged batch.</summary>
public readonly record struct AppendResult(long BaseOffset, int Count)
{
    public long LastOffset => BaseOffset + Count - 1;
}
