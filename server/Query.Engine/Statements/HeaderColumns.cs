using Query.Engine.Binding;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// ksqlDB's header columns of CREATE STREAM: <c>col ARRAY&lt;STRUCT&lt;KEY STRING, VALUE BYTES&gt;&gt; HEADERS</c>
/// (every header of the record, in order) and <c>col BYTES HEADER('key')</c> (the last header with that key). They
/// are read from the record's headers, never from its value, and cannot be written by INSERT. Records in our own
/// binary format carry no headers from other producers, so header columns need an external VALUE_FORMAT.
/// </summary>
internal static class HeaderColumns
{
    /// <summary>The type of a HEADERS column.</summary>
    public static readonly SqlType AllHeadersType = new ArrayType(new StructType(new EquatableArray<StructField>(
        [new StructField("KEY", SqlType.String), new StructField("VALUE", SqlType.Bytes)])));

    public static IReadOnlyList<HeaderColumn> Of(Ast.EquatableArray<Ast.ColumnDefinition> definitions,
        ValueFormat format)
    {
        var headers = new List<HeaderColumn>();
        for (var i = 0; i < definitions.Count; i++)
        {
            var column = definitions[i];
            if (column.Role is not (Ast.ColumnRole.Headers or Ast.ColumnRole.Header))
                continue;
            var position = column.Span.Start + 1;
            if (format == ValueFormat.Binary)
                throw SqlException.FeatureNotSupported(
                    "HEADERS columns in a stream without VALUE_FORMAT (our binary rows carry no headers)", position);
            var type = TypeResolver.Resolve(column.Type);
            if (column.Role == Ast.ColumnRole.Headers)
            {
                if (headers.Exists(h => h.Key is null))
                    throw new SqlException("42P16", "a stream has at most one HEADERS column",
                        position: position);
                if (!type.Equals(AllHeadersType))
                    throw new SqlException(SqlState.DatatypeMismatch,
                        $"a HEADERS column is {AllHeadersType}, not {type}", position: position);
                headers.Add(new HeaderColumn(i, null));
                continue;
            }
            if (type.Kind != SqlTypeKind.Bytes)
                throw new SqlException(SqlState.DatatypeMismatch, $"a HEADER('{column.HeaderKey}') column is BYTES, "
                    + $"not {type}", position: position);
            headers.Add(new HeaderColumn(i, column.HeaderKey));
        }
        return headers;
    }
}
