using System.Numerics;
using Query.Engine.Binding;
using Query.Engine.Execution.Operators;
using Query.Engine.Types;

namespace Query.Engine.Execution;

/// <summary>
/// The conjuncts of a WHERE that compare an INT, BIGINT or DOUBLE column with a constant (<c>amount &gt; 990</c>,
/// <c>user_id = 4242</c>), evaluated over a kept chunk's decoded column (<see cref="DecodedColumn"/>) in a tight
/// loop before the whole predicate runs on the records they leave. A record such a conjunct refuses (false or
/// NULL) fails the whole AND, so the result is the predicate's; only which records the rest of the predicate sees
/// changes (SQL leaves the order of evaluation open, as PostgreSQL does). The comparisons are those of the compiled
/// predicate: CLR operators on int, long and double (NaN compares false).
/// </summary>
internal sealed class ScanPrefilter
{
    private readonly Term[] _terms;

    private ScanPrefilter(Term[] terms) => _terms = terms;

    /// <summary>The prefilter of <paramref name="where"/>; null when no conjunct qualifies.</summary>
    public static ScanPrefilter? From(BoundExpr where)
    {
        var terms = new List<Term>();
        Collect(where, terms);
        return terms.Count > 0 ? new ScanPrefilter([.. terms]) : null;
    }

    private static void Collect(BoundExpr expression, List<Term> terms)
    {
        if (expression is not BoundBinary binary)
            return;
        if (binary.Op == BinaryOp.And)
        {
            Collect(binary.Left, terms);
            Collect(binary.Right, terms);
            return;
        }
        if (!binary.IsComparison || terms.Count == 8)
            return;
        var (column, literal, op) = (binary.Left, binary.Right) switch
        {
            (BoundColumn c, BoundLiteral l) => (c, l, binary.Op),
            (BoundLiteral l, BoundColumn c) => (c, l, Mirror(binary.Op)),
            _ => (null, null, binary.Op),
        };
        if (column is null || literal!.Value is null || literal.Type.Kind != column.Type.Kind)
            return;
        switch (literal.Value)
        {
            case int i when column.Type.Kind == SqlTypeKind.Int:
                terms.Add(new Term(column.Ordinal, SqlTypeKind.Int, op, i, 0));
                break;
            case long l when column.Type.Kind == SqlTypeKind.BigInt:
                terms.Add(new Term(column.Ordinal, SqlTypeKind.BigInt, op, l, 0));
                break;
            case double d when column.Type.Kind == SqlTypeKind.Double:
                terms.Add(new Term(column.Ordinal, SqlTypeKind.Double, op, 0, d));
                break;
        }
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
    public int Select(CachedChunk chunk, RecordCursor cursor, ScanCache cache, int first, int last, int[] candidates)
    {
        var count = 0;
        for (var r = first; r < last; r++)
            candidates[count++] = r;
        foreach (var term in _terms)
        {
            var column = chunk.Column(term.Column, term.Kind, cursor, cache);
            count = term.Kind == SqlTypeKind.Double
                ? Keep(column.Nulls, column.Reals!, term.Op, term.Real, candidates, count)
                : Keep(column.Nulls, column.Integers!, term.Op, term.Integer, candidates, count);
            if (count == 0)
                break;
        }
        return count;
    }

    // One term over the candidates left, in place. Generic over long and double so the JIT makes each loop tight.
    private static int Keep<T>(bool[] nulls, T[] values, BinaryOp op, T constant, int[] candidates, int count)
        where T : struct, IComparisonOperators<T, T, bool>
    {
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            var r = candidates[i];
            var value = values[r];
            var keep = !nulls[r] && op switch
            {
                BinaryOp.Equal => value == constant,
                BinaryOp.NotEqual => value != constant,
                BinaryOp.Less => value < constant,
                BinaryOp.LessOrEqual => value <= constant,
                BinaryOp.Greater => value > constant,
                _ => value >= constant,
            };
            candidates[kept] = r;
            kept += keep ? 1 : 0;
        }
        return kept;
    }

    private readonly record struct Term(int Column, SqlTypeKind Kind, BinaryOp Op, long Integer, double Real);
}

/// <summary>
/// One INT, BIGINT or DOUBLE column of a kept chunk decoded into an array per record (NULL flags beside), built
/// the first time a prefilter needs it and kept with the chunk (charged to the cache).
/// </summary>
internal sealed record DecodedColumn(bool[] Nulls, long[]? Integers, double[]? Reals)
{
    public long SizeBytes => Nulls.Length * 9L;

    /// <summary>Decodes column <paramref name="ordinal"/> of every record of <paramref name="records"/>.</summary>
    public static DecodedColumn Decode(RecordBatch records, int ordinal, SqlTypeKind kind, RecordCursor cursor)
    {
        var count = records.RecordCount;
        var identity = new int[count];
        for (var r = 0; r < count; r++)
            identity[r] = r;
        var view = RecordBatch.ViewOf(records, cursor, identity);
        var nulls = new bool[count];
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
        }
        return new DecodedColumn(nulls, integers, reals);
    }
}
