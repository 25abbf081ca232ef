using System.Reflection;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// One resolved signature of a scalar function: the static method to call, the SQL types its arguments are
/// cast to, and its result type. By default NULL in any argument gives NULL without calling the method;
/// <see cref="NullAware"/> methods receive NULLs (as null references or nullable values) and decide.
/// <see cref="Variadic"/> methods take their trailing arguments as one array.
/// </summary>
public sealed record FunctionOverload(string Name, MethodInfo Method, EquatableArray<SqlType> ParameterTypes,
    SqlType ReturnType, bool NullAware = false, bool Variadic = false)
{
    /// <summary>
    /// A constant passed before the arguments, for methods that need more than the values: TO_JSON_STRING
    /// receives its argument's SQL type this way. Null for ordinary functions.
    /// </summary>
    public object? Context { get; init; }

    /// <summary>Non-deterministic functions (RANDOM, UNIX_TIMESTAMP()) are never folded into constants.</summary>
    public bool Deterministic { get; init; } = true;
}
