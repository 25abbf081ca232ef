using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace Query.Grammar.Ast;

/// <summary>
/// An immutable array with value equality, for record members: <see cref="ImmutableArray{T}"/> compares by
/// reference and would quietly break record equality. <c>default</c> is the empty array.
/// </summary>
[CollectionBuilder(typeof(EquatableArray), nameof(EquatableArray.Create))]
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
{
    private readonly T[]? _items;

    /// <summary>Takes ownership of <paramref name="items"/>: the caller must not change it afterwards.</summary>
    internal EquatableArray(T[] items) => _items = items.Length == 0 ? null : items;

    public static EquatableArray<T> Empty => default;

    public int Count => _items?.Length ?? 0;

    public int Length => Count;

    public bool IsEmpty => _items is null;

    public T this[int index] => (_items ?? [])[index];

    public ReadOnlySpan<T> AsSpan() => _items;

    public bool Equals(EquatableArray<T> other)
    {
        if (ReferenceEquals(_items, other._items))
            return true;
        if (Count != other.Count)
            return false;
        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < _items!.Length; i++)
        {
            if (!comparer.Equals(_items[i], other._items![i]))
                return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        if (_items is not null)
        {
            foreach (var item in _items)
                hash.Add(item);
        }
        return hash.ToHashCode();
    }

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    public ReadOnlySpan<T>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => (_items ?? []).GetEnumerator();

    public override string ToString() => $"[{string.Join(", ", _items ?? [])}]";
}

/// <summary>Factory methods for <see cref="EquatableArray{T}"/>.</summary>
public static class EquatableArray
{
    public static EquatableArray<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray());

    public static EquatableArray<T> From<T>(List<T> items) => new(items.ToArray());

    public static EquatableArray<T> Of<T>(params T[] items) => new((T[])items.Clone());
}
