using System.Text;
using Query.Engine.Functions;

namespace Query.Engine.Tests;

/// <summary>Random expressions over every column type of s1 / s2 and every function (as ExpressionFuzzTests
/// makes for pull queries), for the projections, filters, keys and aggregates of persistent and push queries.
/// </summary>
internal sealed partial class StatementFuzzGenerator
{
    private static readonly string[] WildColumns = ["k", "v", "d", "s", "f", "b", "m", "t", "a", "mp", "st", "ROWTIME",
        "a[1]", "mp['a']", "st->x", "st->z"];

    private static readonly string[] WildLiterals =
    [
        "NULL", "0", "1", "-1", "2147483647", "-2147483648", "9223372036854775807", "1.5", "0.00", "1E308", "'NaN'",
        "''", "'abc'", "'2024-02-29'", "TRUE", "FALSE", "TIMESTAMP '1970-01-01 00:00:00'", "DATE '9999-12-31'",
        "ARRAY[1, NULL, 3]", "MAP('a' := 1)", "STRUCT(x := 1)", "-0.0", "99999999.99",
    ];

    private static readonly string[] WildOperators =
        ["+", "-", "*", "/", "%", "||", "=", "<>", "<", ">=", "AND", "OR", "IS DISTINCT FROM"];

    private static readonly string[] WildTypes =
        ["INT", "BIGINT", "DOUBLE", "DECIMAL(5, 2)", "DECIMAL(38, 0)", "STRING", "VARCHAR(2)", "BYTES", "BOOLEAN",
            "TIMESTAMP", "DATE", "ARRAY<INT>", "MAP<STRING, INT>", "STRUCT<x INT>"];

    private static readonly string[] Functions = FunctionRegistry.All.Select(f => f.Name).Order().ToArray();

    /// <summary>True when every function the text names gives the same answer twice (no RANDOM, NOW, UUID).
    /// </summary>
    public static bool IsDeterministic(string sql)
    {
        foreach (var name in Functions)
        {
            if (!FunctionRegistry.IsDeterministic(name) && sql.Contains(name + "(", StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    private string Wild(int depth, string q = "")
    {
        if (depth <= 0 || Chance(30))
            return Chance(60) ? q + Pick(WildColumns) : Pick(WildLiterals);
        string Sub() => Wild(depth - 1, q);
        switch (_random.Next(9))
        {
            case 0 or 1:
                return $"({Sub()} {Pick(WildOperators)} {Sub()})";
            case 2 or 3 or 4:
                var arguments = new StringBuilder();
                var count = _random.Next(0, 4);
                for (var i = 0; i < count; i++)
                    arguments.Append(i == 0 ? "" : ", ").Append(Sub());
                return $"{Pick(Functions)}({arguments})";
            case 5:
                return $"CAST({Sub()} AS {Pick(WildTypes)})";
            case 6:
                return $"CASE WHEN {Sub()} THEN {Sub()} ELSE {Sub()} END";
            case 7:
                return $"({Sub()} IS {Pick("", "NOT ")}NULL)";
            default:
                return $"COALESCE({Sub()}, {Sub()})";
        }
    }
}
