using System.Buffers;
using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Tests;

/// <summary>
/// Every aggregate's state: merging two halves equals folding the whole, the binary state round-trips, and a
/// retractable aggregate returns to its previous result when a value is taken back out.
/// </summary>
public sealed class AccumulatorTests
{
    public static TheoryData<AggregateKind, string> Kinds()
    {
        var data = new TheoryData<AggregateKind, string>();
        foreach (var kind in Enum.GetValues<AggregateKind>())
        {
            foreach (var type in new[] { "BIGINT", "DOUBLE", "DECIMAL", "STRING" })
            {
                var numericOnly = kind is AggregateKind.Sum or AggregateKind.Avg or AggregateKind.StddevSamp
                    or AggregateKind.Correlation;
                if (kind == AggregateKind.SumList && type is "DECIMAL" or "STRING")
                    continue;
                if ((!numericOnly || type != "STRING") && (kind != AggregateKind.Histogram || type == "STRING"))
                    data.Add(kind, type);
            }
        }
        return data;
    }

    private static SqlType TypeOf(string name) => name switch
    {
        "BIGINT" => SqlType.BigInt,
        "DOUBLE" => SqlType.Double,
        "DECIMAL" => new DecimalType(10, 2),
        _ => SqlType.String,
    };

    private static Cell[] Values(SqlType type)
    {
        var values = new Cell[40];
        for (var i = 0; i < values.Length; i++)
        {
            var n = (i * 7 % 13) - 4;
            values[i] = i % 9 == 4 ? Cell.Null : type.Kind switch
            {
                SqlTypeKind.BigInt => Cell.FromInt64(n),
                SqlTypeKind.Double => Cell.FromDouble(n * 1.25),
                SqlTypeKind.Decimal => Cell.FromDecimal(n * 1.25m),
                _ => Cell.FromRef($"v{n}"),
            };
        }
        return values;
    }

    /// <summary>SUM_LIST folds lists: its argument is a list of the element type.</summary>
    private static SqlType Argument(AggregateKind kind, SqlType type) =>
        kind == AggregateKind.SumList ? new ArrayType(type) : type;

    private static Accumulator Create(AggregateKind kind, SqlType argument)
    {
        var (input, result) = AggregateFunctions.Types(kind, Argument(kind, argument), null);
        // k = 5 for TOPK; a by-offset aggregate with a count would be the list form (LATEST_BY_OFFSET(x, n)).
        var parameter = AggregateFunctions.Arity(kind) == 2 ? 5 : 0;
        return AggregateFunctions.Create(
            new Binding.BoundAggregate(kind, null, input, result) { Parameter = parameter });
    }

    private static Cell Input(AggregateKind kind, SqlType argument, Cell value)
    {
        // CORRELATION's pair (x, x squared): related, not linearly.
        if (kind == AggregateKind.Correlation)
        {
            if (value.IsNull)
                return value;
            var x = argument.Kind switch
            {
                SqlTypeKind.BigInt => value.Bits,
                SqlTypeKind.Decimal => (double)value.Decimal,
                _ => value.AsDouble,
            };
            return Cell.FromRef(new SqlArray([x, x * x]));
        }
        // SUM_LIST's list (the value, a NULL element, the value doubled).
        if (kind == AggregateKind.SumList)
        {
            if (value.IsNull)
                return value;
            object element = argument.Kind == SqlTypeKind.BigInt ? value.Bits : value.AsDouble;
            object doubled = argument.Kind == SqlTypeKind.BigInt ? value.Bits * 2 : value.AsDouble * 2;
            return Cell.FromRef(new SqlArray([element, null, doubled]));
        }
        var input = AggregateFunctions.Types(kind, argument, null).Input;
        return input?.Kind == SqlTypeKind.Double && argument.Kind == SqlTypeKind.BigInt && !value.IsNull
            ? Cell.FromDouble(value.Bits) : value;
    }

    private static string Text(AggregateKind kind, SqlType argument, Cell result)
    {
        var type = AggregateFunctions.Types(kind, Argument(kind, argument), null).Result;
        if (result.IsNull)
            return "NULL";
        return type.Kind == SqlTypeKind.Double ? Math.Round(result.AsDouble, 9).ToString(
            System.Globalization.CultureInfo.InvariantCulture) : ValueText.Format(result.ToObject(type), type);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Merging_two_halves_equals_the_whole(AggregateKind kind, string typeName)
    {
        var type = TypeOf(typeName);
        var values = Values(type);
        var whole = Create(kind, type);
        var first = Create(kind, type);
        var second = Create(kind, type);
        for (var i = 0; i < values.Length; i++)
        {
            var value = Input(kind, type, values[i]);
            whole.Add(value);
            (i < values.Length / 2 ? first : second).Add(value);
        }
        first.Merge(second);
        Assert.Equal(Text(kind, type, whole.Result()), Text(kind, type, first.Result()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void State_round_trips_through_bytes(AggregateKind kind, string typeName)
    {
        var type = TypeOf(typeName);
        var original = Create(kind, type);
        foreach (var value in Values(type))
            original.Add(Input(kind, type, value));
        var writer = new ArrayBufferWriter<byte>();
        original.Serialize(writer);
        var restored = Create(kind, type);
        restored.Add(Input(kind, type, Values(type)[0]));
        restored.Restore(writer.WrittenSpan);
        Assert.Equal(Text(kind, type, original.Result()), Text(kind, type, restored.Result()));
        restored.Add(Input(kind, type, Values(type)[1]));
        original.Add(Input(kind, type, Values(type)[1]));
        Assert.Equal(Text(kind, type, original.Result()), Text(kind, type, restored.Result()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Retracting_a_value_undoes_adding_it(AggregateKind kind, string typeName)
    {
        var type = TypeOf(typeName);
        var accumulator = Create(kind, type);
        var values = Values(type);
        foreach (var value in values[..30])
            accumulator.Add(Input(kind, type, value));
        var before = Text(kind, type, accumulator.Result());
        if (!accumulator.CanRetract)
        {
            Assert.Throws<Errors.SqlException>(() => accumulator.Retract(Input(kind, type, values[31])));
            return;
        }
        foreach (var value in values[30..])
            accumulator.Add(Input(kind, type, value));
        foreach (var value in values[30..])
            accumulator.Retract(Input(kind, type, value));
        Assert.Equal(before, Text(kind, type, accumulator.Result()));
    }

    [Fact]
    public void Truncated_state_is_a_corruption_error_not_a_crash()
    {
        var sum = AggregateFunctions.Create(AggregateKind.Sum, SqlType.BigInt);
        var error = Assert.Throws<Errors.SqlException>(() => sum.Restore(new byte[5]));
        Assert.Equal("XX001", error.SqlState);
    }
}
