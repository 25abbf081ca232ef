using System.Reflection;
using Query.Engine.Types;

namespace Query.Engine.Functions;

/// <summary>
/// A scalar function by name with its signatures. Each signature is a resolver from the argument types to an
/// overload (or null when it does not apply), which covers fixed signatures and polymorphic ones (ABS of any
/// numeric, ARRAY_LENGTH of any array) alike. Resolution takes the first signature that accepts the
/// arguments with implicit casts, preferring one that needs no cast.
/// </summary>
public sealed class FunctionDefinition(string name, string category, string description)
{
    private readonly List<Func<IReadOnlyList<SqlType>, FunctionOverload?>> _resolvers = [];
    private readonly List<string> _signatures = [];

    public string Name { get; } = name;

    public string Category { get; } = category;

    public string Description { get; } = description;

    public IReadOnlyList<string> Signatures => _signatures;

    public FunctionDefinition Add(string signature, Func<IReadOnlyList<SqlType>, FunctionOverload?> resolver)
    {
        _signatures.Add(signature);
        _resolvers.Add(resolver);
        return this;
    }

    /// <summary>A fixed signature backed by a static method of <paramref name="owner"/>.</summary>
    public FunctionDefinition Fixed(Type owner, string method, SqlType returnType, params SqlType[] parameters) =>
        Fixed(owner, method, returnType, nullAware: false, parameters);

    public FunctionDefinition Fixed(Type owner, string method, SqlType returnType, bool nullAware,
        params SqlType[] parameters)
    {
        var info = FindMethod(owner, method, parameters.Length);
        var overload = new FunctionOverload(Name, info, new EquatableArray<SqlType>(parameters), returnType, nullAware);
        var signature = $"{Name}({string.Join(", ", (IEnumerable<SqlType>)parameters)}) -> {returnType}";
        return Add(signature, args => Accepts(args, parameters) ? overload : null);
    }

    /// <summary>Trailing arguments of <paramref name="repeated"/> type, passed as one array.</summary>
    public FunctionDefinition Variadic(Type owner, string method, SqlType returnType, bool nullAware,
        SqlType[] leading, SqlType repeated, int minimumRepeated = 0)
    {
        var info = FindMethod(owner, method, leading.Length + 1);
        var signature = $"{Name}({string.Join(", ", (IEnumerable<SqlType>)leading)}"
            + $"{(leading.Length > 0 ? ", " : "")}{repeated}...) -> {returnType}";
        return Add(signature, args =>
        {
            if (args.Count < leading.Length + minimumRepeated)
                return null;
            var parameters = new SqlType[args.Count];
            for (var i = 0; i < args.Count; i++)
                parameters[i] = i < leading.Length ? leading[i] : repeated;
            return Accepts(args, parameters)
                ? new FunctionOverload(Name, info, new EquatableArray<SqlType>(parameters), returnType, nullAware, true)
                : null;
        });
    }

    public static MethodInfo FindMethod(Type owner, string method, int parameterCount)
    {
        foreach (var candidate in owner.GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            if (candidate.Name == method && candidate.GetParameters().Length == parameterCount)
                return candidate;
        }
        throw new InvalidOperationException($"{owner.Name}.{method}/{parameterCount} not found");
    }

    public static bool Accepts(IReadOnlyList<SqlType> args, IReadOnlyList<SqlType> parameters)
    {
        if (args.Count != parameters.Count)
            return false;
        for (var i = 0; i < args.Count; i++)
        {
            if (!ValueCast.CanCast(args[i], parameters[i], CastContext.Implicit)
                && !(args[i].Kind == SqlTypeKind.String && parameters[i].Kind == SqlTypeKind.String))
                return false;
        }
        return true;
    }

    public FunctionOverload? Resolve(IReadOnlyList<SqlType> args)
    {
        FunctionOverload? fallback = null;
        foreach (var resolver in _resolvers)
        {
            var overload = resolver(args);
            if (overload is null)
                continue;
            if (IsExact(args, overload.ParameterTypes))
                return overload;
            fallback ??= overload;
        }
        return fallback;
    }

    private static bool IsExact(IReadOnlyList<SqlType> args, EquatableArray<SqlType> parameters)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].Kind != parameters[i].Kind && args[i].Kind != SqlTypeKind.Null)
                return false;
        }
        return true;
    }
}
