using System.Numerics;
using System.Runtime.CompilerServices;
using Query.Engine.Binding;
using Query.Engine.Execution.Operators;
using Query.Engine.Types;
using Query.Storage.Reading;

namespace Query.Engine.Execution;

/// <summary>
/// The conjuncts of a WHERE that compare an INT, BIGINT or DOUBLE column with a constant (<c>amount &gt; 990</c>,
/// <c>user_id = 4242</c>), evaluated over a kept chunk's decoded column (<see cref="DecodedColumn"/>) in a tight
/// loop before the whole predicate runs on the records they leave. A record such a conjunct refuses (false or
/// NULL) fails the whole AND, so the result is the predicate's; only which records the rest of the predicate sees
/// changes (SQL leaves the order of evaluation open, as PostgreSQL does). The comparisons are those of the compiled
/// predicate: CLR operators on int, long and double (NaN compares false). Comparisons of ROWTIME or ROWOFFSET with an
/// integer constant run over the chunk's row times or offsets (a ROWTIME range read through the cache). The same
/// terms run over a column batch's vectors (the cold tier read by column, ScanSource.Columns.cs).
/// </summary>
internal sealed class ScanPrefilter
{
    private const int RowTimeColumn = -1;   // a term's column: ROWTIME, not a stream column
    private const int RowOffsetColumn = -2; // ROWOFFSET
    private readonly Term[] _terms;

    private ScanPrefilter(Term[] terms, bool isWholePredicate)
    {
        _terms = terms;
        IsWholePredicate = isWholePredicate;
    }

    /// <summary>
    /// Whether every conjunct of the WHERE is a term: then what the terms keep is what the predicate keeps, and the
    /// predicate need not run again (a ROWTIME range alone, say).
    /// </summary>
    public bool IsWholePredicate { get; }

    /// <summary>The prefilter of <paramref name="where"/>; null when no conjunct qualifies.</summary>
    public static ScanPrefilter? From(BoundExpr where)
    {
        var terms = new List<Term>();
        var whole = Collect(where, terms);
        return terms.Count > 0 ? new ScanPrefilter([.. terms], whole) : null;
    }

    // True when the whole expression was taken as terms.
    private static bool Collect(BoundExpr expression, List<Term> terms)
    {
        if (expression is not BoundBinary binary)
            return false;
        if (binary.Op == BinaryOp.And)
            return Collect(binary.Left, terms) & Collect(binary.Right, terms);
        if (!binary.IsComparison || terms.Count == 8)
            return false;
        if (PseudoColumnTerm(binary) is { } pseudo)
        {
            terms.Add(pseudo);
            return true;
        }
        var (column, literal, op) = (binary.Left, binary.Right) switch
        {
            (BoundColumn c, BoundLiteral l) => (c, l, binary.Op),
            (BoundLiteral l, BoundColumn c) => (c, l, Mirror(binary.Op)),
            _ => (null, null, binary.Op),
        };
        if (column is null || literal!.Value is null || literal.Type.Kind != column.Type.Kind)
            return false;
        switch (literal.Value)
        {
            case int i when column.Type.Kind == SqlTypeKind.Int:
                terms.Add(new Term(column.Ordinal, SqlTypeKind.Int, op, i, 0));
                return true;
            case long l when column.Type.Kind == SqlTypeKind.BigInt:
                terms.Add(new Term(column.Ordinal, SqlTypeKind.BigInt, op, l, 0));
                return true;
            case double d when column.Type.Kind == SqlTypeKind.Double:
                terms.Add(new Term(column.Ordinal, SqlTypeKind.Double, op, 0, d));
                return true;
            default:
                return false;
        }
    }

    // ROWTIME or ROWOFFSET compared with an integer constant: over the chunk's stored row times or offsets (what the
    // compiled ROWTIME and ROWOFFSET read).
    private static Term? PseudoColumnTerm(BoundBinary binary)
    {
        var (pseudo, literal, op) = (binary.Left, binary.Right) switch
        {
            (BoundPseudoColumn p, BoundLiteral l) => (p.Column, l, binary.Op),
            (BoundLiteral l, BoundPseudoColumn p) => (p.Column, l, Mirror(binary.Op)),
            _ => (PseudoColumn.RowPartition, null, binary.Op),
        };
        var column = pseudo switch
        {
            PseudoColumn.RowTime => RowTimeColumn,
            PseudoColumn.RowOffset => RowOffsetColumn,
            _ => 0,
        };
        return column == 0 ? null : literal?.Value switch
        {
            long l => new Term(column, SqlTypeKind.BigInt, op, l, 0),
            int i => new Term(column, SqlTypeKind.BigInt, op, i, 0),
            _ => null,
        };
    }

    private static BinaryOp Mirror(BinaryOp op) => op switch
    {
        BinaryOp.Less => BinaryOp.Greater,
        BinaryOp.LessOrEqual => BinaryOp.GreaterOrEqual,
        BinaryOp.Greater => BinaryOp.Less,
        BinaryOp.GreaterOrEqual => BinaryOp.LessOrEqual,
        _ => op,
    };

    /// <summary>
    /// Writes to <paramref name="candidates"/> the records of [<paramref name="first"/>, <paramref name="last"/>) of
    /// <paramref name="chunk"/> that every term keeps, in order; returns how many.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Select(CachedChunk chunk, RecordCursor cursor, ScanCache cache, int first, int last, int[] candidates)
    {
        // The first term runs over [first, last) itself (count -1), so no list of every record is written and read.
        var count = AllOfRange;
        foreach (var term in _terms)
        {
            if (term.Column < 0)
            {
                var values = term.Column == RowTimeColumn ? chunk.Records.RecordTimestamps
                    : chunk.Records.RecordOffsets;
                count = Keep(null, values, term.Op, term.Integer, candidates, count, first, last);
            }
            else
            {
                var column = chunk.Column(term.Column, term.Kind, cursor, cache);
                count = term.Kind == SqlTypeKind.Double
                    ? Keep(column.Nulls, column.Reals!, term.Op, term.Real, candidates, count, first, last)
                    : Keep(column.Nulls, column.Integers!, term.Op, term.Integer, candidates, count, first, last);
            }
            if (count == 0)
                break;
        }
        return count;
    }

    /// <summary>
    /// Keeps in <paramref name="candidates"/> (rows of <paramref name="columns"/>) those every term keeps, in order;
    /// returns how many. The rows' times must be admitted (ScanSource.Columns.cs). A column the batch did not read is
    /// NULL in every row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Select(ColumnBatch columns, int[] candidates, int count)
    {
        foreach (var term in _terms)
        {
            if (count == 0)
                break;
            if (term.Column == RowOffsetColumn && term.Op is not (BinaryOp.Equal or BinaryOp.NotEqual)
                && Holds(term, columns.Offsets[candidates[0]]) && Holds(term, columns.Offsets[candidates[count - 1]]))
                continue;   // offsets ascend: an order comparison that holds at both ends holds for every row
            if (term.Column < 0)
            {
                var values = term.Column == RowTimeColumn ? columns.TimestampsMs : columns.Offsets;
                count = Keep(null, values, term.Op, term.Integer, candidates, count);
                continue;
            }
            var vector = (uint)term.Column < (uint)columns.Columns.Length ? columns.Columns[term.Column] : null;
            var nulls = vector is { HasNulls: true } ? vector.Nulls : null;
            count = (term.Kind, vector?.Kind) switch
            {
                (_, null) => 0,
                (SqlTypeKind.Int, ColumnVectorKind.Int32) =>
                    Keep(nulls, vector!.Int32s, term.Op, (int)term.Integer, candidates, count),
                (SqlTypeKind.BigInt, ColumnVectorKind.Int64) =>
                    Keep(nulls, vector!.Int64s, term.Op, term.Integer, candidates, count),
                (SqlTypeKind.Double, ColumnVectorKind.Double) =>
                    Keep(nulls, vector!.Doubles, term.Op, term.Real, candidates, count),
                _ => throw new InvalidOperationException(
                    $"a {term.Kind} column read as a {vector!.Kind} vector"),
            };
        }
        return count;
    }

    private static bool Holds(Term term, long value) => term.Op switch
    {
        BinaryOp.Less => value < term.Integer,
        BinaryOp.LessOrEqual => value <= term.Integer,
        BinaryOp.Greater => value > term.Integer,
        _ => value >= term.Integer,
    };

    // A candidate count meaning: no term ran yet, every record of [first, last) is a candidate.
    private const int AllOfRange = -1;

    // One term over the candidates left, in place (or, with count AllOfRange, over the records of [first, last)
    // into candidates): one loop per operator (generic over long and double, and over the operator, so the JIT makes
    // each loop tight and branch-free), without the NULL test when the column has no NULL.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Keep<T>(bool[]? nulls, T[] values, BinaryOp op, T constant, int[] candidates, int count,
        int first = 0, int last = 0)
        where T : struct, IComparisonOperators<T, T, bool> => op switch
        {
            BinaryOp.Equal => Keep<T, EqualOp<T>>(nulls, values, constant, candidates, count, first, last),
            BinaryOp.NotEqual => Keep<T, NotEqualOp<T>>(nulls, values, constant, candidates, count, first, last),
            BinaryOp.Less => Keep<T, LessOp<T>>(nulls, values, constant, candidates, count, first, last),
            BinaryOp.LessOrEqual => Keep<T, LessOrEqualOp<T>>(nulls, values, constant, candidates, count, first, last),
            BinaryOp.Greater => Keep<T, GreaterOp<T>>(nulls, values, constant, candidates, count, first, last),
            _ => Keep<T, GreaterOrEqualOp<T>>(nulls, values, constant, candidates, count, first, last),
        };

    private static int Keep<T, TOp>(bool[]? nulls, T[] values, T constant, int[] candidates, int count, int first,
        int last)
        where T : struct, IComparisonOperators<T, T, bool>
        where TOp : struct, IOp<T> =>
        nulls is null
            ? Keep<T, TOp, NoNull>(nulls, values, constant, candidates, count, first, last)
            : Keep<T, TOp, MaybeNull>(nulls, values, constant, candidates, count, first, last);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Keep<T, TOp, TNull>(bool[]? nulls, T[] values, T constant, int[] candidates, int count,
        int first, int last)
        where T : struct, IComparisonOperators<T, T, bool>
        where TOp : struct, IOp<T>
        where TNull : struct, INullTest
    {
        var kept = 0;
        if (count == AllOfRange)
        {
            for (var r = first; r < last; r++)
            {
                var keep = TOp.Passes(values[r], constant) && !TNull.IsNull(nulls, r);
                candidates[kept] = r;
                kept += keep ? 1 : 0;
            }
            return kept;
        }
        for (var i = 0; i < count; i++)
        {
            var r = candidates[i];
            var keep = TOp.Passes(values[r], constant) && !TNull.IsNull(nulls, r);
            candidates[kept] = r;
            kept += keep ? 1 : 0;
        }
        return kept;
    }

    // Whether row r of a column is NULL: NoNull when the column has no NULL (no flags to read), MaybeNull otherwise.
    private interface INullTest
    {
        static abstract bool IsNull(bool[]? nulls, int r);
    }

    private readonly struct NoNull : INullTest
    {
        public static bool IsNull(bool[]? nulls, int r) => false;
    }

    private readonly struct MaybeNull : INullTest
    {
        public static bool IsNull(bool[]? nulls, int r) => nulls![r];
    }

    private interface IOp<T>
    {
        static abstract bool Passes(T value, T constant);
    }

    private readonly struct EqualOp<T> : IOp<T> where T : IComparisonOperators<T, T, bool>
    {
        public static bool Passes(T value, T constant) => value == constant;
    }

    private readonly struct NotEqualOp<T> : IOp<T> where T : IComparisonOperators<T, T, bool>
    {
        public static bool Passes(T value, T constant) => value != constant;
    }

    private readonly struct LessOp<T> : IOp<T> where T : IComparisonOperators<T, T, bool>
    {
        public static bool Passes(T value, T constant) => value < constant;
    }

    private readonly struct LessOrEqualOp<T> : IOp<T> where T : IComparisonOperators<T, T, bool>
    {
        public static bool Passes(T value, T constant) => value <= constant;
    }

    private readonly struct GreaterOp<T> : IOp<T> where T : IComparisonOperators<T, T, bool>
    {
        public static bool Passes(T value, T constant) => value > constant;
    }

    private readonly struct GreaterOrEqualOp<T> : IOp<T> where T : IComparisonOperators<T, T, bool>
    {
        public static bool Passes(T value, T constant) => value >= constant;
    }

    private readonly record struct Term(int Column, SqlTypeKind Kind, BinaryOp Op, long Integer, double Real);
}

/// <summary>
/// One INT, BIGINT or DOUBLE column of a kept chunk decoded into an array per record (NULL flags beside, null when no
/// record is NULL), built the first time a prefilter needs it and kept with the chunk (charged to the cache).
/// </summary>
internal sealed record DecodedColumn(int Count, bool[]? Nulls, long[]? Integers, double[]? Reals)
{
    public long SizeBytes => Count * (Nulls is null ? 8L : 9L);

    /// <summary>Decodes column <paramref name="ordinal"/> of every record of <paramref name="records"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DecodedColumn Decode(RecordBatch records, int ordinal, SqlTypeKind kind, RecordCursor cursor)
    {
        var count = records.RecordCount;
        var identity = new int[count];
        for (var r = 0; r < count; r++)
            identity[r] = r;
        var view = RecordBatch.ViewOf(records, cursor, identity);
        var nulls = new bool[count];
        var anyNull = false;
        var integers = kind == SqlTypeKind.Double ? null : new long[count];
        var reals = kind == SqlTypeKind.Double ? new double[count] : null;
        for (var r = 0; r < count; r++)
        {
            var row = view.Select(r);
            bool present;
            switch (kind)
            {
                case SqlTypeKind.Int:
                    present = row.TryGetInt32(ordinal, out var i);
                    integers![r] = i;
                    break;
                case SqlTypeKind.BigInt:
                    present = row.TryGetInt64(ordinal, out integers![r]);
                    break;
                default:
                    present = row.TryGetDouble(ordinal, out reals![r]);
                    break;
            }
            nulls[r] = !present;
            anyNull |= !present;
        }
        return new DecodedColumn(count, anyNull ? nulls : null, integers, reals);
    }
}
