namespace Query.Tiering;

/// <summary>A segment cannot be archived (its data cannot be written as a cold file); the hot data stays.</summary>
public sealed class ColdArchiveException : Exception
{
    public ColdArchiveException(string message) : base(message)
    {
    }

    public ColdArchiveException(string message, Exception inner) : base(message, inner)
    {
    }
}
