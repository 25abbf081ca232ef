using Query.Engine.Errors;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Binding;

/// <summary>
/// Turns a type as written (the grammar's <see cref="Ast.SqlTypeSyntax"/>) into a <see cref="SqlType"/>.
/// </summary>
public static class TypeResolver
{
    public static SqlType Resolve(Ast.SqlTypeSyntax syntax)
    {
        Limits.DepthGuard.Enter();
        var position = syntax.Span.Start + 1;
        switch (syntax.Name)
        {
            case Ast.SqlTypeNames.Array when syntax.ElementTypes.Count == 1:
                return new ArrayType(Resolve(syntax.ElementTypes[0]));
            case Ast.SqlTypeNames.Map when syntax.ElementTypes.Count == 2:
                var key = Resolve(syntax.ElementTypes[0]);
                if (key.IsComplex)
                    throw new SqlException(SqlState.DatatypeMismatch, $"MAP keys must be a scalar type, not {key}",
                        position: position);
                return new MapType(key, Resolve(syntax.ElementTypes[1]));
            case Ast.SqlTypeNames.Struct:
                return ResolveStruct(syntax, position);
            case Ast.SqlTypeNames.Decimal:
                return syntax.Parameters.Count switch
                {
                    0 => new DecimalType(DecimalType.MaxPrecision, 0),
                    1 => SqlTypeParser.Decimal(syntax.Parameters[0], 0),
                    _ => SqlTypeParser.Decimal(syntax.Parameters[0], syntax.Parameters[1]),
                };
        }
        return SqlTypeParser.ScalarByName(syntax.Name)
            ?? throw new SqlException(SqlState.UndefinedObject,
                $"type \"{syntax.Name.ToLowerInvariant()}\" does not exist",
                position: position);
    }

    private static StructType ResolveStruct(Ast.SqlTypeSyntax syntax, int position)
    {
        var fields = new StructField[syntax.Fields.Count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Length; i++)
        {
            var field = syntax.Fields[i];
            if (!names.Add(field.Name.Value))
                throw new SqlException(SqlState.DuplicateColumn, $"duplicate STRUCT field \"{field.Name.Value}\"",
                    position: position);
            fields[i] = new StructField(field.Name.Value, Resolve(field.Type));
        }
        return new StructType(new EquatableArray<StructField>(fields));
    }
}
