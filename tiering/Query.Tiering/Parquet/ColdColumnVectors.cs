using Query.Storage.Reading;
using Query.Tiering.Layout;

namespace Query.Tiering.Parquet;

/// <summary>
/// Turns a loaded flat leaf (dense values, one definition level per row) into a <see cref="ColumnVector"/> with a
/// slot per row, converting Parquet's values to the engine's (TIMESTAMP to epoch milliseconds, DATE to days,
/// TIME to milliseconds of the day) in one loop per column. Buffers are reused from row group to row group; a column
/// without NULLs whose values need no conversion is not copied at all: its vector holds the leaf's own array, valid
/// until the next read (as every vector is).
/// </summary>
internal static class ColdColumnVectors
{
    /// <summary>Makes room in <paramref name="batch"/> for <paramref name="rows"/> rows and its columns.</summary>
    public static void EnsureRows(ColumnBatch batch, int rows, int columns)
    {
        if (batch.Offsets.Length < rows)
        {
            batch.Offsets = new long[rows];
            batch.TimestampsMs = new long[rows];
            batch.Selection = new int[rows];
        }
        if (batch.Columns.Length != columns)
            batch.Columns = new ColumnVector?[columns];
    }

    /// <summary>The vector of <paramref name="leaf"/>'s loaded values (<paramref name="reuse"/> when it fits);
    /// when <paramref name="only"/> is not empty, only those rows' slots need be filled.</summary>
    public static ColumnVector Fill(ColumnVector? reuse, LeafColumn leaf, ColdTypeKind kind, int rows,
        ReadOnlySpan<int> only = default)
    {
        var vector = reuse is not null && reuse.Kind == KindOf(kind) ? reuse : new ColumnVector(KindOf(kind));
        var definitions = leaf.LoadedDefinitions[..rows];
        var max = leaf.MaxDefinition;
        switch (leaf)
        {
            case LeafColumn<bool> b:
                Expand<bool, bool, Same<bool>>(vector, definitions, max, b.LoadedValues, ref vector.Booleans, only,
                    b.LoadedArray);
                break;
            case LeafColumn<int> i:
                Expand<int, int, Same<int>>(vector, definitions, max, i.LoadedValues, ref vector.Int32s, only,
                    i.LoadedArray);
                break;
            case LeafColumn<long> l when kind == ColdTypeKind.Time:
                Expand<long, int, MicrosToMs>(vector, definitions, max, l.LoadedValues, ref vector.Int32s, only);
                break;
            case LeafColumn<long> l:
                Expand<long, long, Same<long>>(vector, definitions, max, l.LoadedValues, ref vector.Int64s, only,
                    l.LoadedArray);
                break;
            case LeafColumn<double> d:
                Expand<double, double, Same<double>>(vector, definitions, max, d.LoadedValues, ref vector.Doubles,
                    only, d.LoadedArray);
                break;
            case LeafColumn<decimal> m:
                Expand<decimal, decimal, Same<decimal>>(vector, definitions, max, m.LoadedValues, ref vector.Decimals,
                    only);
                break;
            case LeafColumn<DateTime> t:
                Expand<DateTime, long, EpochMs>(vector, definitions, max, t.LoadedValues, ref vector.Int64s, only);
                break;
            case LeafColumn<DateOnly> d:
                Expand<DateOnly, int, EpochDays>(vector, definitions, max, d.LoadedValues, ref vector.Int32s, only);
                break;
            case LeafColumn<ReadOnlyMemory<char>> s:
                Expand<ReadOnlyMemory<char>, ReadOnlyMemory<char>, Same<ReadOnlyMemory<char>>>(vector, definitions,
                    max, s.LoadedValues, ref vector.Texts, only, s.LoadedArray);
                break;
            case LeafColumn<ReadOnlyMemory<byte>> y:
                Expand<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>, Same<ReadOnlyMemory<byte>>>(vector, definitions,
                    max, y.LoadedValues, ref vector.Binaries, only, y.LoadedArray);
                break;
            default:
                throw new InvalidOperationException($"no column vector for a {kind} leaf");
        }
        return vector;
    }

    private static ColumnVectorKind KindOf(ColdTypeKind kind) => kind switch
    {
        ColdTypeKind.Boolean => ColumnVectorKind.Boolean,
        ColdTypeKind.Int32 or ColdTypeKind.Date or ColdTypeKind.Time => ColumnVectorKind.Int32,
        ColdTypeKind.Int64 or ColdTypeKind.Timestamp => ColumnVectorKind.Int64,
        ColdTypeKind.Double => ColumnVectorKind.Double,
        ColdTypeKind.Decimal => ColumnVectorKind.Decimal,
        ColdTypeKind.String => ColumnVectorKind.Text,
        ColdTypeKind.Bytes => ColumnVectorKind.Binary,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a scalar column"),
    };

    // Dense values (one per defined row) to one slot per row; without NULLs a plain converting loop.
    // `same`: the leaf's array when TIn is TOut and no conversion applies (a column without NULLs takes it as it is).
    private static void Expand<TIn, TOut, TConvert>(ColumnVector vector, ReadOnlySpan<int> definitions, int max,
        ReadOnlySpan<TIn> dense, ref TOut[] target, ReadOnlySpan<int> only, TOut[]? same = null)
        where TConvert : IConvert<TIn, TOut>
    {
        var rows = definitions.Length;
        var noNulls = !definitions.ContainsAnyExcept(max);
        if (noNulls && same is not null)
        {
            vector.HasNulls = false;
            target = same;
            return;
        }
        // Never write into the leaf's array a previous row group left in the vector.
        if (target.Length < rows || (same is not null && ReferenceEquals(target, same)))
            target = new TOut[rows];
        if (noNulls)
        {
            // Without NULLs value i belongs to row i: a sparse fill converts the selected rows only.
            vector.HasNulls = false;
            if (!only.IsEmpty)
            {
                foreach (var row in only)
                    target[row] = TConvert.Of(dense[row]);
                return;
            }
            for (var row = 0; row < rows; row++)
                target[row] = TConvert.Of(dense[row]);
            return;
        }
        if (vector.Nulls.Length < rows)
            vector.Nulls = new bool[rows];
        vector.HasNulls = true;
        var nulls = vector.Nulls;
        var next = 0;
        for (var row = 0; row < rows; row++)
        {
            var present = definitions[row] == max;
            nulls[row] = !present;
            target[row] = present ? TConvert.Of(dense[next++]) : default!;
        }
    }

    private interface IConvert<TIn, TOut>
    {
        static abstract TOut Of(TIn value);
    }

    private readonly struct Same<T> : IConvert<T, T>
    {
        public static T Of(T value) => value;
    }

    private readonly struct MicrosToMs : IConvert<long, int>
    {
        public static int Of(long value) => (int)(value / 1000);
    }

    private readonly struct EpochMs : IConvert<DateTime, long>
    {
        public static long Of(DateTime value) => ColdFields.ToEpochMs(value);
    }

    private readonly struct EpochDays : IConvert<DateOnly, int>
    {
        public static int Of(DateOnly value) => value.DayNumber - 719_162;
    }
}
