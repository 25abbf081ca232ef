namespace Query.Tiering.Parquet;

/// <summary>
/// Storage for the variable-length values of one leaf column's row group (UTF-16 text or bytes): values are
/// copied into chunks and handed to Parquet.Net as slices, so a row group costs no object per value. Chunks
/// are kept and reused by the next row group after <see cref="Reset"/>; what it holds is bounded by the
/// writer's row group byte limit.
/// </summary>
internal sealed class ValueArena<TElement>
    where TElement : struct
{
    // Below the large object heap threshold (85,000 bytes) for chars and bytes alike.
    private const int ChunkElements = 32 * 1024;

    private readonly List<TElement[]> _used = [];
    private readonly Stack<TElement[]> _free = new();
    private TElement[] _current = [];
    private int _position;

    /// <summary>Room for at least <paramref name="length"/> elements; fill it, then <see cref="Commit"/>.</summary>
    public Span<TElement> Reserve(int length)
    {
        if (_current.Length - _position < length)
            NextChunk(length);
        return _current.AsSpan(_position, length);
    }

    /// <summary>Keeps the first <paramref name="length"/> elements reserved last; they stay valid until
    /// <see cref="Reset"/>.</summary>
    public ReadOnlyMemory<TElement> Commit(int length)
    {
        var memory = new ReadOnlyMemory<TElement>(_current, _position, length);
        _position += length;
        return memory;
    }

    public ReadOnlyMemory<TElement> Copy(ReadOnlySpan<TElement> values)
    {
        values.CopyTo(Reserve(values.Length));
        return Commit(values.Length);
    }

    /// <summary>Makes every chunk free for the next row group (the values handed out are no longer used).</summary>
    public void Reset()
    {
        if (_current.Length > 0)
            _used.Add(_current);
        foreach (var chunk in _used)
        {
            if (chunk.Length == ChunkElements)
                _free.Push(chunk);            // an oversized chunk held one large value: let it go
        }
        _used.Clear();
        _current = [];
        _position = 0;
    }

    private void NextChunk(int length)
    {
        if (_current.Length > 0)
            _used.Add(_current);
        _current = length <= ChunkElements
            ? (_free.Count > 0 ? _free.Pop() : new TElement[ChunkElements])
            : new TElement[length];
        _position = 0;
    }
}
