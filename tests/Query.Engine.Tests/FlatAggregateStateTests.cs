using System.Buffers;
using Query.Engine.Binding;
using Query.Engine.Execution.Operators;
using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Tests;

/// <summary>
/// Flat aggregate state (FlatAggregates) against the accumulator objects it replaces on hot paths: the same results
/// after the same values (with NULLs, retractions and merges), byte for byte the same serialized state (a state log
/// written by either restores into the other), and a restore that gives back the result.
/// </summary>
public sealed class FlatAggregateStateTests
{
    public static TheoryData<AggregateKind, string> Flat() => new()
    {
        { AggregateKind.CountStar, "BIGINT" },
        { AggregateKind.Count, "BIGINT" },
        { AggregateKind.Sum, "BIGINT" },
        { AggregateKind.Sum, "DOUBLE" },
        { AggregateKind.Avg, "DOUBLE" },
        { AggregateKind.Min, "BIGINT" },
        { AggregateKind.Max, "BIGINT" },
        { AggregateKind.Min, "INT" },
        { AggregateKind.Max, "INT" },
        { AggregateKind.Max, "TIMESTAMP" },
        { AggregateKind.Min, "DOUBLE" },
        { AggregateKind.Max, "DOUBLE" },
        { AggregateKind.ChangeTime, "BIGINT" },
        { AggregateKind.ChangeTime, "TIMESTAMP" },
    };

    private static SqlType TypeOf(string name) => name switch
    {
        "INT" => SqlType.Int,
        "DOUBLE" => SqlType.Double,
        "TIMESTAMP" => SqlType.Timestamp,
        _ => SqlType.BigInt,
    };

    private static Cell Value(SqlType type, int i, Random random)
    {
        if (i % 7 == 3)
            return Cell.Null;
        var n = random.Next(-1000, 1000);
        return type.Kind == SqlTypeKind.Double ? Cell.FromDouble(n / 8.0) : Cell.FromInt64(n);
    }

    private static (FlatAggregates Flat, Accumulator Accumulator) Pair(AggregateKind kind, SqlType type)
    {
        var aggregate = new BoundAggregate(kind, null, type, type);
        var flat = FlatAggregates.TryCreate([aggregate]) ?? throw new InvalidOperationException($"{kind} not flat");
        flat.AddGroup(0);
        flat.AddGroup(1);
        return (flat, AggregateFunctions.Create(aggregate));
    }

    private static byte[] Bytes(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    [Theory]
    [MemberData(nameof(Flat))]
    public void Flat_state_gives_the_accumulators_results_and_bytes(AggregateKind kind, string typeName)
    {
        var type = TypeOf(typeName);
        var (flat, accumulator) = Pair(kind, type);
        Assert.Equal(Bytes(accumulator.Serialize), Bytes(w => flat.Serialize(1, 0, w)));   // no rows yet
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var value = Value(type, i, random);
            accumulator.Add(value);
            flat.Add(1, [value]);
            AssertSame(accumulator.Result(), flat.Result(1, 0), type);
        }
        if (accumulator.CanRetract)
        {
            var random2 = new Random(7);
            for (var i = 0; i < 20; i++)
            {
                var value = Value(type, i, random2);
                accumulator.Retract(value);
                flat.Retract(1, [value], changeTimeMs: 0);
                AssertSame(accumulator.Result(), flat.Result(1, 0), type);
            }
        }
        var bytes = Bytes(accumulator.Serialize);
        Assert.Equal(bytes, Bytes(w => flat.Serialize(1, 0, w)));
        // Each restores the other's bytes.
        flat.Restore(0, 0, bytes);
        AssertSame(accumulator.Result(), flat.Result(0, 0), type);
        var restored = AggregateFunctions.Create(new BoundAggregate(kind, null, type, type));
        restored.Restore(Bytes(w => flat.Serialize(1, 0, w)));
        AssertSame(accumulator.Result(), restored.Result(), type);
    }

    [Theory]
    [MemberData(nameof(Flat))]
    public void Merging_flat_groups_equals_merging_accumulators(AggregateKind kind, string typeName)
    {
        var type = TypeOf(typeName);
        var (flat, first) = Pair(kind, type);
        var second = AggregateFunctions.Create(new BoundAggregate(kind, null, type, type));
        var random = new Random(11);
        for (var i = 0; i < 40; i++)
        {
            var value = Value(type, i, random);
            (i < 25 ? first : second).Add(value);
            flat.Add(i < 25 ? 0 : 1, [value]);
        }
        first.Merge(second);
        flat.Merge(0, flat, 1);
        AssertSame(first.Result(), flat.Result(0, 0), type);
        Assert.Equal(Bytes(first.Serialize), Bytes(w => flat.Serialize(0, 0, w)));
    }

    [Fact]
    public void A_retraction_moves_the_change_time_to_the_update()
    {
        var time = new BoundAggregate(AggregateKind.ChangeTime, null, SqlType.BigInt, SqlType.BigInt);
        var count = new BoundAggregate(AggregateKind.CountStar, null, null, SqlType.BigInt);
        var flat = FlatAggregates.TryCreate([count, time])!;
        flat.AddGroup(0);
        flat.Add(0, [Cell.FromInt64(1), Cell.FromInt64(100)]);
        flat.Add(0, [Cell.FromInt64(1), Cell.FromInt64(200)]);
        flat.Retract(0, [Cell.FromInt64(1), Cell.FromInt64(100)], changeTimeMs: 300);
        Assert.Equal(1, flat.Result(0, 0).Bits);
        Assert.Equal(300, flat.Result(0, 1).Bits);
    }

    [Fact]
    public void Aggregates_without_flat_state_keep_their_accumulators()
    {
        Assert.Null(FlatAggregates.TryCreate([new BoundAggregate(AggregateKind.Max, null, SqlType.String,
            SqlType.String)]));
        Assert.Null(FlatAggregates.TryCreate([new BoundAggregate(AggregateKind.Sum, null, new DecimalType(10, 2),
            new DecimalType(38, 2))]));
        Assert.Null(FlatAggregates.TryCreate([new BoundAggregate(AggregateKind.CountDistinct, null, SqlType.BigInt,
            SqlType.BigInt)]));
    }

    private static void AssertSame(Cell expected, Cell actual, SqlType type)
    {
        Assert.Equal(expected.IsNull, actual.IsNull);
        if (!expected.IsNull)
            Assert.Equal(expected.ToObject(type), actual.ToObject(type));
    }
}
