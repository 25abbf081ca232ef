using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Binding;

/// <summary>The columns a bound expression may name: a source's columns (and pseudo-columns), or none.</summary>
public sealed class BindScope
{
    public static readonly BindScope Empty = new(null, null, [], allowPseudoColumns: false);

    public BindScope(string? sourceName, string? alias, IReadOnlyList<ColumnInfo> columns, bool allowPseudoColumns)
    {
        SourceName = sourceName;
        Alias = alias;
        Columns = columns;
        AllowPseudoColumns = allowPseudoColumns;
    }

    public string? SourceName { get; }

    public string? Alias { get; }

    public IReadOnlyList<ColumnInfo> Columns { get; }

    public bool AllowPseudoColumns { get; }

    public int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, name, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }

    public void CheckQualifier(string? qualifier, int position)
    {
        if (qualifier is null || qualifier == SourceName || qualifier == Alias)
            return;
        throw new SqlException(SqlState.UndefinedTable,
            $"missing FROM-clause entry for table \"{qualifier}\"", position: position);
    }

    /// <summary>A case-insensitive or close match, for "did you mean" hints.</summary>
    public string? Suggest(string name)
    {
        foreach (var column in Columns)
        {
            if (string.Equals(column.Name, name, StringComparison.OrdinalIgnoreCase))
                return $"Column names are case-sensitive when quoted. Did you mean \"{column.Name}\"?";
        }
        return null;
    }
}

/// <summary>The inferred types of <c>$n</c> parameters of one statement (first use decides).</summary>
public sealed class ParameterTypes
{
    private readonly List<SqlType?> _types = [];

    public int Count => _types.Count;

    public SqlType Infer(int index, SqlType? hint)
    {
        while (_types.Count <= index)
            _types.Add(null);
        if (_types[index] is { } known)
            return known;
        var type = hint is null || hint.Kind == SqlTypeKind.Null ? null : hint;
        _types[index] = type;
        return type ?? SqlType.String;
    }

    /// <summary>Types in $1..$n order; a parameter never constrained is STRING (PostgreSQL's text).</summary>
    public IReadOnlyList<SqlType> ToList()
    {
        var list = new SqlType[_types.Count];
        for (var i = 0; i < list.Length; i++)
            list[i] = _types[i] ?? SqlType.String;
        return list;
    }
}
