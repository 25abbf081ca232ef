using Query.Engine.Binding;
using Query.Engine.Execution.Operators;
using Query.Engine.Functions;
using Query.Engine.Types;
using Query.Storage.Reading;

namespace Query.Engine.Tests;

/// <summary>
/// Flat aggregates folded from a column batch's vectors (FlatAggregates.AddColumns) against the same rows folded one
/// by one (FlatAggregates.Add): identical results for every aggregate the fold takes, over generated vectors with and
/// without NULLs, NaN and signed zeros, selections of none, some and every row, and several batches in a row.
/// </summary>
public sealed class FlatAggregateColumnTests
{
    private static readonly (AggregateKind Kind, SqlType Type, ColumnVectorKind Vector)[] Cases =
    [
        (AggregateKind.CountStar, SqlType.BigInt, ColumnVectorKind.Int64),
        (AggregateKind.Count, SqlType.Double, ColumnVectorKind.Double),
        (AggregateKind.Count, SqlType.Int, ColumnVectorKind.Int32),
        (AggregateKind.Sum, SqlType.Int, ColumnVectorKind.Int32),
        (AggregateKind.Sum, SqlType.BigInt, ColumnVectorKind.Int64),
        (AggregateKind.Sum, SqlType.Double, ColumnVectorKind.Double),
        (AggregateKind.Avg, SqlType.Double, ColumnVectorKind.Double),
        (AggregateKind.Min, SqlType.Int, ColumnVectorKind.Int32),
        (AggregateKind.Max, SqlType.Int, ColumnVectorKind.Int32),
        (AggregateKind.Min, SqlType.BigInt, ColumnVectorKind.Int64),
        (AggregateKind.Max, SqlType.Timestamp, ColumnVectorKind.Int64),
        (AggregateKind.Min, SqlType.Double, ColumnVectorKind.Double),
        (AggregateKind.Max, SqlType.Double, ColumnVectorKind.Double),
    ];

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void Every_aggregate_folded_from_vectors_equals_the_rows_folded_one_by_one(int seed, bool withNulls)
    {
        var random = new Random(seed);
        var aggregates = new BoundAggregate[Cases.Length];
        var arguments = new int[Cases.Length];
        var batch = new ColumnBatch { Columns = new ColumnVector?[Cases.Length + 1] };
        for (var a = 0; a < Cases.Length; a++)
        {
            var (kind, type, _) = Cases[a];
            aggregates[a] = new BoundAggregate(kind, null, type, type);
            arguments[a] = kind == AggregateKind.CountStar ? FlatAggregates.CountStar : a;
        }
        var byColumns = FlatAggregates.TryCreate(aggregates)!;
        var byRows = FlatAggregates.TryCreate(aggregates)!;
        byColumns.AddGroup(0);
        byRows.AddGroup(0);
        var values = new Cell[Cases.Length];
        foreach (var share in new[] { 0.0, 0.3, 1.0, 0.05 })
        {
            const int Rows = 700;
            for (var a = 0; a < Cases.Length; a++)
                batch.Columns[a] = Generate(Cases[a].Vector, Rows, random, withNulls);
            var rows = Enumerable.Range(0, Rows).Where(_ => random.NextDouble() < share).ToArray();
            for (var a = 0; a < Cases.Length; a++)
                Assert.True(byColumns.CanFold(a, batch.Columns[a]!.Kind));
            byColumns.AddColumns(0, batch, rows, arguments);
            foreach (var row in rows)
            {
                for (var a = 0; a < Cases.Length; a++)
                    values[a] = CellOf(batch.Columns[a]!, row);
                byRows.Add(0, values);
            }
            for (var a = 0; a < Cases.Length; a++)
            {
                var (expected, actual) = (byRows.Result(0, a), byColumns.Result(0, a));
                Assert.True(expected.IsNull == actual.IsNull && expected.Bits == actual.Bits,
                    $"{Cases[a].Kind}({Cases[a].Type}) after a selection of {rows.Length}: " +
                    $"{expected.Bits} expected, {actual.Bits}");
            }
        }
    }

    [Fact]
    public void A_column_the_batch_did_not_read_is_null_in_every_row_and_kinds_that_do_not_fit_are_refused()
    {
        BoundAggregate[] aggregates =
        [
            new(AggregateKind.Sum, null, SqlType.Double, SqlType.Double),
            new(AggregateKind.Count, null, SqlType.Double, SqlType.BigInt),
            new(AggregateKind.CountStar, null, null, SqlType.BigInt),
        ];
        var flat = FlatAggregates.TryCreate(aggregates)!;
        flat.AddGroup(0);
        Assert.True(flat.CanFold(0, null));
        Assert.False(flat.CanFold(0, ColumnVectorKind.Int64));
        Assert.True(flat.CanFold(1, ColumnVectorKind.Text));
        var batch = new ColumnBatch { Columns = new ColumnVector?[2] };
        flat.AddColumns(0, batch, [0, 1, 2], [0, 1, FlatAggregates.CountStar]);
        Assert.True(flat.Result(0, 0).IsNull);
        Assert.Equal(0, flat.Result(0, 1).Bits);
        Assert.Equal(3, flat.Result(0, 2).Bits);
    }

    [Fact]
    public void An_integer_sum_that_overflows_fails_as_row_by_row()
    {
        var flat = FlatAggregates.TryCreate([new BoundAggregate(AggregateKind.Sum, null, SqlType.BigInt,
            SqlType.BigInt)])!;
        flat.AddGroup(0);
        var vector = new ColumnVector(ColumnVectorKind.Int64) { Int64s = [long.MaxValue - 1, 1, 1] };
        var batch = new ColumnBatch { Columns = [vector] };
        Assert.Throws<OverflowException>(() => flat.AddColumns(0, batch, [0, 1, 2], [0]));
    }

    private static ColumnVector Generate(ColumnVectorKind kind, int rows, Random random, bool withNulls)
    {
        var vector = new ColumnVector(kind) { HasNulls = withNulls, Nulls = new bool[rows] };
        for (var row = 0; row < rows; row++)
            vector.Nulls[row] = withNulls && random.Next(5) == 0;
        switch (kind)
        {
            case ColumnVectorKind.Int32:
                vector.Int32s = Enumerable.Range(0, rows).Select(_ => random.Next(int.MinValue, int.MaxValue))
                    .ToArray();
                break;
            case ColumnVectorKind.Int64:
                vector.Int64s = Enumerable.Range(0, rows).Select(_ => random.NextInt64(-1L << 40, 1L << 40)).ToArray();
                break;
            default:
                vector.Doubles = Enumerable.Range(0, rows).Select(i => (i % 97) switch
                {
                    5 => double.NaN,
                    6 => -0.0,
                    7 => 0.0,
                    _ => (random.NextDouble() - 0.5) * 1e6,
                }).ToArray();
                break;
        }
        return vector;
    }

    private static Cell CellOf(ColumnVector vector, int row) => vector.IsNull(row) ? Cell.Null : vector.Kind switch
    {
        ColumnVectorKind.Int32 => Cell.FromInt64(vector.Int32s[row]),
        ColumnVectorKind.Int64 => Cell.FromInt64(vector.Int64s[row]),
        _ => Cell.FromDouble(vector.Doubles[row]),
    };
}
