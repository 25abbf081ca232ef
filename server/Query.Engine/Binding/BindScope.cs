using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Binding;

/// <summary>
/// The columns a bound expression may name: a source's columns (and pseudo-columns), the columns of several
/// relations side by side (a join: each relation is a range of the row, named by its name or alias), or none.
/// </summary>
public sealed class BindScope
{
    public static readonly BindScope Empty = new(null, null, [], allowPseudoColumns: false);

    private readonly IReadOnlyList<ScopeRelation> _relations;

    public BindScope(string? sourceName, string? alias, IReadOnlyList<ColumnInfo> columns, bool allowPseudoColumns)
    {
        SourceName = sourceName;
        Alias = alias;
        Columns = columns;
        AllowPseudoColumns = allowPseudoColumns;
        _relations = [new ScopeRelation(sourceName, alias, 0, columns.Count)];
    }

    /// <summary>A scope over relations laid side by side in one row (a join); no pseudo-columns.</summary>
    public BindScope(IReadOnlyList<ScopeRelation> relations, IReadOnlyList<ColumnInfo> columns)
    {
        Columns = columns;
        _relations = relations;
    }

    public string? SourceName { get; }

    /// <summary>Names a join's USING merged: unqualified, each means its first relation's column.</summary>
    public IReadOnlySet<string>? MergedNames { get; init; }

    /// <summary>The columns an unqualified <c>*</c> lists, in order, when not all of them in declaration order (a
    /// join's USING column once; a windowed source's keys and window bounds first); null for every visible column.
    /// </summary>
    public IReadOnlyList<int>? StarOrdinals { get; init; }

    /// <summary>The ordinals <c>*</c> (<paramref name="qualifier"/> null) or <c>qualifier.*</c> lists.</summary>
    public List<int> Star(string? qualifier, int position)
    {
        var (start, count) = qualifier is null ? (0, VisibleCount) : RangeOf(qualifier, position);
        // A single source's alias.* means the same as *; a join's alias.* is that relation's columns in order.
        if (StarOrdinals is { } ordinals && (qualifier is null || (_relations.Count <= 1 && start == 0)))
            return [.. ordinals];
        var all = new List<int>(count);
        for (var i = start; i < start + count; i++)
            all.Add(i);
        return all;
    }

    public string? Alias { get; }

    public IReadOnlyList<ColumnInfo> Columns { get; }

    public bool AllowPseudoColumns { get; }

    /// <summary>
    /// In a streaming join's row, the hidden column holding the streaming side's ROWTIME (what ROWTIME means
    /// there); -1 elsewhere.
    /// </summary>
    public int RowTimeOrdinal { get; init; } = -1;

    /// <summary>A streaming join's scope: <c>a.ROWTIME</c>, <c>a.ROWPARTITION</c> and <c>a.ROWOFFSET</c> are
    /// stream a's hidden columns.</summary>
    public bool JoinSidePseudoColumns { get; init; }

    /// <summary>The columns <c>SELECT *</c> lists: every relation's (a hidden column after them is not).</summary>
    public int VisibleCount => _relations.Count == 0 ? Columns.Count
        : _relations[^1].Start + _relations[^1].Count;

    /// <summary>The relations whose columns make up the row, in order.</summary>
    public IReadOnlyList<ScopeRelation> Relations => _relations;

    /// <summary>The same relation names without columns (the scope of expressions over an aggregated row).</summary>
    public BindScope WithoutColumns() => _relations.Count == 1
        ? new BindScope(SourceName, Alias, [], allowPseudoColumns: false)
        : new BindScope([.. _relations.Select(r => r with { Start = 0, Count = 0 })], []);

    public int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, name, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }

    /// <summary>
    /// The ordinal of <c>[qualifier.]name</c>, or -1 when no relation has it; 42P01 for an unknown qualifier and
    /// 42702 for an unqualified name that more than one relation has.
    /// </summary>
    public int Resolve(string? qualifier, string name, int position)
    {
        var (start, count) = qualifier is null ? (0, Columns.Count) : RangeOf(qualifier, position);
        var found = -1;
        for (var i = start; i < start + count; i++)
        {
            if (!string.Equals(Columns[i].Name, name, StringComparison.Ordinal))
                continue;
            if (found >= 0 && _relations.Count > 1 && MergedNames?.Contains(name) != true)
                throw new SqlException(SqlState.AmbiguousColumn, $"column reference \"{name}\" is ambiguous",
                    position: position);
            found = found < 0 ? i : found;
        }
        return found;
    }

    /// <summary>The name a bound column carries (EXPLAIN prints it): qualified by its relation in a join.</summary>
    public string DisplayName(int index)
    {
        if (_relations.Count == 1)
            return Columns[index].Name;
        foreach (var relation in _relations)
        {
            if (index >= relation.Start && index < relation.Start + relation.Count)
                return $"{relation.Alias ?? relation.Name}.{Columns[index].Name}";
        }
        return Columns[index].Name;
    }

    /// <summary>The columns of the relation named <paramref name="qualifier"/> (42P01 when there is none).</summary>
    public (int Start, int Count) RangeOf(string qualifier, int position)
    {
        foreach (var relation in _relations)
        {
            if (relation.Alias == qualifier || (relation.Alias is null && relation.Name == qualifier)
                || (_relations.Count == 1 && relation.Name == qualifier))
                return (relation.Start, relation.Count);
        }
        throw new SqlException(SqlState.UndefinedTable,
            $"missing FROM-clause entry for table \"{qualifier}\"", position: position);
    }

    /// <summary>Whether a relation of this scope is named <paramref name="qualifier"/> by PostgreSQL's rule (its
    /// alias, or its name when it has none): a correlated subquery's <c>t.x</c> means the enclosing query's t when
    /// the subquery's own t has an alias.</summary>
    public bool HasRelation(string qualifier)
    {
        foreach (var relation in _relations)
        {
            if (relation.Alias == qualifier || (relation.Alias is null && relation.Name == qualifier))
                return true;
        }
        return false;
    }

    public void CheckQualifier(string? qualifier, int position)
    {
        if (qualifier is not null)
            RangeOf(qualifier, position);
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

/// <summary>One relation of a scope: its name, its alias, and where its columns lie in the row.</summary>
public sealed record ScopeRelation(string? Name, string? Alias, int Start, int Count);

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

    private readonly Dictionary<int, int> _pgTypeOids = [];

    /// <summary>Records the PostgreSQL type a parameter is cast to where the engine's type would describe it as
    /// another (<c>$1::oid[]</c> is <c>oid[]</c>, not <c>int4[]</c>: asyncpg encodes only the first without asking).
    /// </summary>
    public void DeclarePgType(int index, int oid) => _pgTypeOids[index] = oid;

    /// <summary>Each parameter's declared PostgreSQL type in $1..$n order, 0 where its engine type's mapping holds.
    /// </summary>
    public IReadOnlyList<int> PgTypeOids()
    {
        var oids = new int[_types.Count];
        foreach (var (index, oid) in _pgTypeOids)
        {
            if (index < oids.Length)
                oids[index] = oid;
        }
        return oids;
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
