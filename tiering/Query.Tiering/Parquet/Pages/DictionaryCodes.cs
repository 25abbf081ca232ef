namespace Query.Tiering.Parquet.Pages;

/// <summary>
/// A dictionary-encoded column chunk as its dictionary and, per present value, the index into it: a predicate
/// is then judged once per distinct value and looked up per row. Set only when every data page of the chunk
/// was dictionary-encoded (<see cref="IsComplete"/>); reused from row group to row group.
/// </summary>
internal sealed class DictionaryCodes<T>
{
    private T[] _values = [];
    private int[] _indexes = [];

    public bool IsComplete { get; private set; }

    public int Count { get; private set; }

    public ReadOnlySpan<T> Values => _values.AsSpan(0, Count);

    /// <summary>The dictionary index of each present value, dense (NULLs have none).</summary>
    public ReadOnlySpan<int> Indexes => _indexes;

    public void Clear()
    {
        IsComplete = false;
        Count = 0;
    }

    public void AddIndexes(ReadOnlySpan<int> indexes, int start)
    {
        if (_indexes.Length < start + indexes.Length)
            Array.Resize(ref _indexes, Math.Max(start + indexes.Length, _indexes.Length * 2));
        indexes.CopyTo(_indexes.AsSpan(start));
    }

    public void Complete(ReadOnlySpan<T> dictionary)
    {
        if (_values.Length < dictionary.Length)
            _values = new T[dictionary.Length];
        dictionary.CopyTo(_values);
        Count = dictionary.Length;
        IsComplete = true;
    }
}
