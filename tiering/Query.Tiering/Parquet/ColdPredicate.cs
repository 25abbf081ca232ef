using System.Numerics;
using Parquet.Data;
using Query.Storage.Reading;

namespace Query.Tiering.Parquet;

/// <summary>
/// One <see cref="ColumnPredicate"/> bound to the flat leaf that holds its column: it clears the rows of a loaded
/// row group that fail it (NULL fails), and judges a row group by the leaf's min/max statistics. Every judgement
/// that cannot be made exactly (no statistics, a value it does not know how to order) answers "may match".
/// </summary>
internal abstract class ColdPredicate(LeafColumn leaf, ColumnComparison comparison)
{
    public LeafColumn Leaf { get; } = leaf;
    public ColumnComparison Comparison { get; } = comparison;

    /// <summary>Clears <paramref name="keep"/> (one entry per row) for every row that fails.</summary>
    public abstract void Filter(Span<bool> keep);

    /// <summary>False when the statistics show that no row of the row group (of <paramref name="rows"/> rows)
    /// passes: every value NULL, or min/max outside the predicate's range.</summary>
    public bool MayMatch(DataColumnStatistics? statistics, long rows)
    {
        if (statistics is null)
            return true;
        if (statistics.NullCount is long nulls && nulls >= rows && rows > 0)
            return false;
        var min = OrderAgainstConstant(statistics.MinValue);
        var max = OrderAgainstConstant(statistics.MaxValue);
        if (min is not { } lo || max is not { } hi)
            return true;
        // lo / hi: how min and max compare with the constant; some value v in [min, max] must satisfy "v op c".
        return Comparison switch
        {
            ColumnComparison.Equal => lo <= 0 && hi >= 0,
            ColumnComparison.Less => lo < 0,
            ColumnComparison.LessOrEqual => lo <= 0,
            ColumnComparison.Greater => hi > 0,
            _ => hi >= 0,
        };
    }

    /// <summary>A statistic (as the library returns it) compared with the constant; null when unknown or
    /// unordered (NaN, a type it does not expect).</summary>
    protected abstract int? OrderAgainstConstant(object? statistic);

    protected bool Accepts(int order) => Comparison switch
    {
        ColumnComparison.Equal => order == 0,
        ColumnComparison.Less => order < 0,
        ColumnComparison.LessOrEqual => order <= 0,
        ColumnComparison.Greater => order > 0,
        _ => order >= 0,
    };
}

/// <summary>How a leaf's Parquet value becomes the number the constant is compared with.</summary>
internal interface IColdKey<T, TKey>
{
    static abstract TKey Of(T value);

    /// <summary>A statistic as the library returns it for this leaf, as a key; false when unexpected.</summary>
    static abstract bool TryOfStatistic(object? statistic, out TKey key);
}

/// <summary>A numeric predicate (integers, DOUBLE, TIMESTAMP, DATE) over keys of type
/// <typeparamref name="TKey"/>, compared with IEEE / integer operators (NaN fails everything).</summary>
internal sealed class NumericPredicate<T, TKey, TConvert>(LeafColumn<T> leaf, ColumnComparison comparison,
    TKey constant) : ColdPredicate(leaf, comparison)
    where T : struct
    where TKey : struct, INumber<TKey>
    where TConvert : IColdKey<T, TKey>
{
    public override void Filter(Span<bool> keep)
    {
        var definitions = leaf.LoadedDefinitions;
        var values = leaf.LoadedValues;
        var max = leaf.MaxDefinition;
        if (!definitions[..keep.Length].ContainsAnyExcept(max))
        {
            // No NULL: value i is row i's, and one loop per comparison with no branch per row.
            switch (Comparison)
            {
                case ColumnComparison.Equal:
                    Keep<Equal>(keep, values, constant);
                    break;
                case ColumnComparison.Less:
                    Keep<Less>(keep, values, constant);
                    break;
                case ColumnComparison.LessOrEqual:
                    Keep<LessOrEqual>(keep, values, constant);
                    break;
                case ColumnComparison.Greater:
                    Keep<Greater>(keep, values, constant);
                    break;
                default:
                    Keep<GreaterOrEqual>(keep, values, constant);
                    break;
            }
            return;
        }
        var next = 0;
        for (var row = 0; row < keep.Length; row++)
        {
            if (definitions[row] != max)
            {
                keep[row] = false;
                continue;
            }
            var key = TConvert.Of(values[next++]);
            if (!Passes(key))
                keep[row] = false;
        }
    }

    private static void Keep<TOp>(Span<bool> keep, ReadOnlySpan<T> values, TKey constant)
        where TOp : IComparison
    {
        values = values[..keep.Length];
        for (var row = 0; row < keep.Length; row++)
            keep[row] &= TOp.Passes(TConvert.Of(values[row]), constant);
    }

    private interface IComparison
    {
        static abstract bool Passes(TKey key, TKey constant);
    }

    private readonly struct Equal : IComparison
    {
        public static bool Passes(TKey key, TKey constant) => key == constant;
    }

    private readonly struct Less : IComparison
    {
        public static bool Passes(TKey key, TKey constant) => key < constant;
    }

    private readonly struct LessOrEqual : IComparison
    {
        public static bool Passes(TKey key, TKey constant) => key <= constant;
    }

    private readonly struct Greater : IComparison
    {
        public static bool Passes(TKey key, TKey constant) => key > constant;
    }

    private readonly struct GreaterOrEqual : IComparison
    {
        public static bool Passes(TKey key, TKey constant) => key >= constant;
    }

    private bool Passes(TKey key) => Comparison switch
    {
        ColumnComparison.Equal => key == constant,
        ColumnComparison.Less => key < constant,
        ColumnComparison.LessOrEqual => key <= constant,
        ColumnComparison.Greater => key > constant,
        _ => key >= constant,
    };

    protected override int? OrderAgainstConstant(object? statistic)
    {
        if (!TConvert.TryOfStatistic(statistic, out var key))
            return null;
        if (key < constant)
            return -1;
        if (key > constant)
            return 1;
        return key == constant ? 0 : null;        // NaN on either side: unordered
    }
}

/// <summary>STRING compared ordinally by UTF-16 code units, as the engine compares strings.</summary>
internal sealed class StringPredicate(LeafColumn<ReadOnlyMemory<char>> leaf, ColumnComparison comparison,
    string constant) : ColdPredicate(leaf, comparison)
{
    private bool[] _passes = [];

    public override void Filter(Span<bool> keep)
    {
        if (leaf.LoadedCodes is { } codes)
        {
            FilterCodes(keep, codes);
            return;
        }
        var definitions = leaf.LoadedDefinitions;
        var values = leaf.LoadedValues;
        var max = leaf.MaxDefinition;
        var target = constant.AsSpan();
        var equality = Comparison == ColumnComparison.Equal;
        var next = 0;
        for (var row = 0; row < keep.Length; row++)
        {
            if (definitions[row] != max)
            {
                keep[row] = false;
                continue;
            }
            var value = values[next++].Span;
            var passes = equality ? value.SequenceEqual(target) : Accepts(value.SequenceCompareTo(target));
            if (!passes)
                keep[row] = false;
        }
    }

    // A dictionary-encoded chunk: each distinct value is compared once, each row looks its index up.
    private void FilterCodes(Span<bool> keep, Pages.DictionaryCodes<ReadOnlyMemory<char>> codes)
    {
        var dictionary = codes.Values;
        if (_passes.Length < dictionary.Length)
            _passes = new bool[dictionary.Length];
        var target = constant.AsSpan();
        for (var i = 0; i < dictionary.Length; i++)
        {
            var value = dictionary[i].Span;
            _passes[i] = Comparison == ColumnComparison.Equal
                ? value.SequenceEqual(target)
                : Accepts(value.SequenceCompareTo(target));
        }
        var passes = _passes;
        var indexes = codes.Indexes;
        var definitions = leaf.LoadedDefinitions;
        var max = leaf.MaxDefinition;
        if (!definitions[..keep.Length].ContainsAnyExcept(max))
        {
            // No NULL: index i is row i's.
            indexes = indexes[..keep.Length];
            for (var row = 0; row < keep.Length; row++)
                keep[row] &= passes[indexes[row]];
            return;
        }
        var next = 0;
        for (var row = 0; row < keep.Length; row++)
        {
            if (definitions[row] != max)
                keep[row] = false;
            else if (!passes[indexes[next++]])
                keep[row] = false;
        }
    }

    // Parquet orders BYTE_ARRAY statistics by their UTF-8 bytes (code point order), the engine by UTF-16 code
    // units; the two agree unless a surrogate decides, so a statistic or constant with one is not used.
    protected override int? OrderAgainstConstant(object? statistic)
    {
        if (statistic is not string text || HasSurrogate(text) || HasSurrogate(constant))
            return null;
        return Math.Sign(string.CompareOrdinal(text, constant));
    }

    private static bool HasSurrogate(string text)
    {
        foreach (var c in text)
        {
            if (char.IsSurrogate(c))
                return true;
        }
        return false;
    }
}

/// <summary>BOOLEAN, FALSE &lt; TRUE.</summary>
internal sealed class BooleanPredicate(LeafColumn<bool> leaf, ColumnComparison comparison, bool constant)
    : ColdPredicate(leaf, comparison)
{
    public override void Filter(Span<bool> keep)
    {
        var definitions = leaf.LoadedDefinitions;
        var values = leaf.LoadedValues;
        var max = leaf.MaxDefinition;
        var next = 0;
        for (var row = 0; row < keep.Length; row++)
        {
            if (definitions[row] != max)
            {
                keep[row] = false;
                continue;
            }
            if (!Accepts(values[next++].CompareTo(constant)))
                keep[row] = false;
        }
    }

    protected override int? OrderAgainstConstant(object? statistic) =>
        statistic is bool value ? value.CompareTo(constant) : null;
}
