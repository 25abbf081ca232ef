using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

/// <summary>Dictionary-encoded values looked up from their indexes.</summary>
internal static class DictionaryValues
{
    /// <summary>Writes <c>dictionary[indexes[i]]</c> to <c>output[i]</c>; false (nothing written) when an index is
    /// outside the dictionary. The indexes are checked once, by their largest, so the lookups need no check.
    /// </summary>
    public static bool TryGather<T>(ReadOnlySpan<T> dictionary, ReadOnlySpan<int> indexes, Span<T> output)
    {
        if (output.Length < indexes.Length || Largest(indexes) >= (uint)dictionary.Length)
            return false;
        ref var values = ref MemoryMarshal.GetReference(dictionary);
        ref var index = ref MemoryMarshal.GetReference(indexes);
        ref var target = ref MemoryMarshal.GetReference(output);
        for (var i = 0; i < indexes.Length; i++)
            Unsafe.Add(ref target, i) = Unsafe.Add(ref values, (nint)(uint)Unsafe.Add(ref index, i));
        return true;
    }

    // The largest index read as unsigned (a negative one is then larger than any dictionary).
    private static uint Largest(ReadOnlySpan<int> indexes)
    {
        var values = MemoryMarshal.Cast<int, uint>(indexes);
        var i = 0;
        var largest = 0u;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<uint>.Count)
        {
            var vector = Vector256<uint>.Zero;
            for (; i <= values.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
                vector = Vector256.Max(vector, Vector256.Create(values.Slice(i, Vector256<uint>.Count)));
            for (var lane = 0; lane < Vector256<uint>.Count; lane++)
                largest = Math.Max(largest, vector[lane]);
        }
        for (; i < values.Length; i++)
            largest = Math.Max(largest, values[i]);
        return largest;
    }
}
