using Query.Engine.Types;

namespace Query.Engine.Binding;

public sealed partial class ExpressionBinder
{
    /// <summary>
    /// GREATEST / LEAST over DATE, TIME or TIMESTAMP values read a quoted literal among the arguments as that type
    /// (ksqlDB: <c>GREATEST(d1, d2, '2022-06-14')</c>), as an untyped literal takes a column's type elsewhere.
    /// </summary>
    private static void TypeTemporalLiterals(string name, BoundExpr[] arguments, SqlType[] types, int position)
    {
        if (name is not ("GREATEST" or "LEAST"))
            return;
        SqlType? temporal = null;
        foreach (var type in types)
        {
            if (type.Kind is SqlTypeKind.Date or SqlTypeKind.Time or SqlTypeKind.Timestamp)
                temporal ??= type;
        }
        if (temporal is null)
            return;
        for (var i = 0; i < arguments.Length; i++)
        {
            if (arguments[i] is BoundLiteral { IsUntypedString: true })
            {
                arguments[i] = Coerce(arguments[i], temporal, CastContext.Implicit, position);
                types[i] = temporal;
            }
        }
    }
}
