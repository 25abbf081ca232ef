using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Planning.Logical;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Planning.Joins;

/// <summary>
/// Plans a FROM clause with joins: resolves each relation to a <see cref="JoinLeaf"/>, binds each ON over the
/// relations of its own join, and places the WHERE's conjuncts as low as they may go — onto one relation when only
/// its columns are read and no outer join between would have kept the rows it rejects, or into the ON of the
/// lowest inner or cross join covering them (so <c>FROM a, b WHERE a.x = b.y</c> becomes a hash join). Each join's
/// equalities between an expression of its left side and one of its right side become hash keys; the rest of its
/// condition is checked on each candidate pair.
/// </summary>
public sealed partial class JoinPlanner
{
    private readonly Func<Ast.Relation, JoinLeaf> _resolveLeaf;
    private readonly Func<BindScope, ExpressionBinder> _newBinder;
    private readonly List<ScopeRelation> _relations = [];
    private readonly List<ColumnInfo> _columns = [];
    private readonly JoinTree _root;

    /// <param name="from">The FROM clause (a join).</param>
    /// <param name="resolveLeaf">Resolves a relation that is not a join.</param>
    /// <param name="newBinder">A binder over a scope (with the statement's parameters).</param>
    /// <param name="streaming">A push or persistent query: a stream joined with a table (see
    /// <see cref="LogicalJoin.StreamTime"/>).</param>
    public JoinPlanner(Ast.Join from, Func<Ast.Relation, JoinLeaf> resolveLeaf,
        Func<BindScope, ExpressionBinder> newBinder, bool streaming = false)
    {
        _resolveLeaf = resolveLeaf;
        _newBinder = newBinder;
        _streaming = streaming;
        _root = Build(from);
        if (streaming)
        {
            IsTableResult = CheckStreamingShape(_root);
            _columns.Add(new ColumnInfo("ROWTIME", SqlType.BigInt));
            Scope = new BindScope(_relations, _columns)
            {
                RowTimeOrdinal = _columns.Count - 1,
                JoinSidePseudoColumns = true,
                StarOrdinals = _windowedStar ? _streamingStar : null,
            };
        }
        else
        {
            Scope = new BindScope(_relations, _columns) { MergedNames = _usingNames, StarOrdinals = StarOrdinals() };
        }
    }

    private readonly bool _streaming;

    /// <summary>A streaming join whose result is a table (a join of tables).</summary>
    public bool IsTableResult { get; }

    /// <summary>The first (leftmost) relation's stream or table; null when it is neither.</summary>
    public Execution.StreamRuntime? FirstSource
    {
        get
        {
            var tree = _root;
            while (tree is JoinTreeNode node)
                tree = node.Left;
            return ((JoinTreeLeaf)tree).Leaf.Source;
        }
    }

    /// <summary>The joined row's columns, qualified by each relation's name or alias.</summary>
    public BindScope Scope { get; }

    private static int PositionOf(Ast.SyntaxNode node) => node.Span.Start + 1;

    /// <summary>
    /// The join's plan with <paramref name="where"/> (bound over <see cref="Scope"/>) pushed down where it may go,
    /// and what of it must still be applied above the join (null when nothing).
    /// </summary>
    public (LogicalPlan Plan, BoundExpr? Remaining) Plan(BoundExpr? where)
    {
        if (_streaming)
        {
            var streaming = PlanStreaming((JoinTreeNode)_root, where);
            return (streaming, streaming is LogicalJoin { TableTable: not null } ? null : where);
        }
        var remaining = new List<BoundExpr>();
        if (where is not null)
        {
            foreach (var conjunct in BoundColumns.Conjuncts(where))
            {
                if (!Place(conjunct, _root))
                    remaining.Add(conjunct);
            }
        }
        return (PlanTree(_root), BoundColumns.And(remaining));
    }

    private JoinTree Build(Ast.Relation relation)
    {
        Limits.DepthGuard.Enter();
        if (relation is not Ast.Join join)
            return AddLeaf(_resolveLeaf(relation));
        var left = Build(join.Left);
        var right = Build(join.Right);
        if (join.Within is not null && !_streaming)
            throw SqlException.FeatureNotSupported("WITHIN in a pull query (it bounds a stream-stream join of a "
                + "persistent query)", PositionOf(join.Within));
        var type = join.Kind switch
        {
            Ast.JoinKind.Inner => JoinType.Inner,
            Ast.JoinKind.Left => JoinType.Left,
            Ast.JoinKind.Right => JoinType.Right,
            Ast.JoinKind.Full => JoinType.Full,
            _ => JoinType.Cross,
        };
        var node = new JoinTreeNode(type, left, right) { Syntax = join };
        if (join.Using.Count > 0)
            node.Predicates.Add(BindOn(UsingCondition(join, left, right), node));
        else if (join.On is { } on)
            node.Predicates.Add(BindOn(on, node));
        else if (type is not JoinType.Cross)
            throw new SqlException(SqlState.SyntaxError, "a JOIN needs an ON condition (or write CROSS JOIN)",
                position: PositionOf(join));
        return node;
    }

    /// <summary>
    /// <c>JOIN ... USING (a, b)</c> as <c>ON l.a = r.a AND l.b = r.b</c>, each name found in exactly one relation
    /// of each side (pgjdbc's type cache and pgcli's foreign-key query join this way). The two columns are not
    /// merged into one value, but <c>SELECT *</c> lists an INNER or LEFT join's USING column once, and in such a
    /// join an unqualified reference to a USING column means the left one, as PostgreSQL's merged column does; in
    /// a RIGHT or FULL join it is ambiguous.
    /// </summary>
    private Ast.Expr UsingCondition(Ast.Join join, JoinTree left, JoinTree right)
    {
        Ast.Expr? condition = null;
        foreach (var name in join.Using)
        {
            var leftColumn = UsingColumn(name, left, "left", join, out var leftOrdinal);
            var rightColumn = UsingColumn(name, right, "right", join, out var rightOrdinal);
            if (join.Kind is Ast.JoinKind.Inner or Ast.JoinKind.Left)
            {
                _usingNames.Add(name.Value);
                _usingFirst.Add(leftOrdinal);
                _usingHidden.Add(rightOrdinal);
            }
            var equal = new Ast.BinaryExpr(Ast.BinaryOperator.Equal, leftColumn, rightColumn);
            condition = condition is null ? equal : new Ast.BinaryExpr(Ast.BinaryOperator.And, condition, equal);
        }
        return condition!;
    }

    private readonly HashSet<string> _usingNames = [];
    private readonly List<int> _usingFirst = [];
    private readonly HashSet<int> _usingHidden = [];

    /// <summary>What <c>SELECT *</c> lists: as PostgreSQL, an INNER or LEFT join's USING columns once and first (the
    /// left side's), then every other column; null when no join merges columns.</summary>
    private List<int>? StarOrdinals()
    {
        if (_usingFirst.Count == 0)
            return null;
        var ordinals = new List<int>(_columns.Count);
        ordinals.AddRange(_usingFirst);
        for (var i = 0; i < _columns.Count; i++)
        {
            if (!_usingHidden.Contains(i) && !_usingFirst.Contains(i))
                ordinals.Add(i);
        }
        return ordinals;
    }

    private Ast.ColumnRef UsingColumn(Ast.Identifier name, JoinTree side, string sideName, Ast.Join join,
        out int ordinal)
    {
        ScopeRelation? found = null;
        ordinal = -1;
        foreach (var relation in _relations)
        {
            if (relation.Start < side.Start || relation.Start >= side.Start + side.Width)
                continue;
            for (var i = relation.Start; i < relation.Start + relation.Count; i++)
            {
                if (_columns[i].Name != name.Value)
                    continue;
                if (found is not null)
                    throw new SqlException(SqlState.AmbiguousColumn,
                        $"common column name \"{name.Value}\" appears more than once in {sideName} table",
                        position: PositionOf(join));
                found = relation;
                ordinal = i;
            }
        }
        var qualifier = found?.Alias ?? found?.Name;
        if (qualifier is null)
            throw new SqlException(SqlState.UndefinedColumn,
                $"column \"{name.Value}\" specified in USING clause does not exist in {sideName} table",
                position: PositionOf(join));
        return new Ast.ColumnRef(Ast.Identifier.QuotedName(qualifier), name);
    }

    private JoinTreeLeaf AddLeaf(JoinLeaf leaf)
    {
        // A stream of a streaming join carries its rows' pseudo-columns (a.ROWTIME, ...) hidden after its columns.
        if (_streaming && leaf.Source is { Definition.IsTable: false })
            leaf = leaf with { Columns = [.. leaf.Columns, .. StreamingJoinNames.HiddenColumns] };
        foreach (var relation in _relations)
        {
            if ((relation.Alias ?? relation.Name) == leaf.EffectiveName)
                throw new SqlException("42712", $"table name \"{leaf.EffectiveName}\" specified more than once",
                    hint: "give each occurrence its own alias", position: leaf.Position);
        }
        var start = _columns.Count;
        AddStarOrder(leaf, start);
        _relations.Add(new ScopeRelation(leaf.Name, leaf.Alias, start, leaf.Columns.Count));
        _columns.AddRange(leaf.Columns);
        return new JoinTreeLeaf(leaf, start);
    }

    private readonly List<int> _streamingStar = [];
    private bool _windowedStar;

    /// <summary>A streaming join's <c>*</c> lists a windowed source's columns as <c>SELECT *</c> of it does (keys,
    /// WINDOWSTART, WINDOWEND, values: ksqlDB's order); every other relation's in declaration order.</summary>
    private void AddStarOrder(JoinLeaf leaf, int start)
    {
        if (!_streaming)
            return;
        var order = leaf.Source?.Definition.StarOrder();
        _windowedStar |= order is not null;
        for (var i = 0; i < leaf.Columns.Count; i++)
            _streamingStar.Add(start + (order is not null && i < order.Length ? order[i] : i));
    }

    // ON sees only the relations of its own join (as in PostgreSQL), bound over their part of the row.
    private BoundExpr BindOn(Ast.Expr on, JoinTreeNode node)
    {
        var relations = new List<ScopeRelation>();
        foreach (var relation in _relations)
        {
            if (relation.Start >= node.Start && relation.Start < node.Start + node.Width)
                relations.Add(relation with { Start = relation.Start - node.Start });
        }
        var scope = new BindScope(relations, _columns.GetRange(node.Start, node.Width))
        {
            JoinSidePseudoColumns = _streaming,
        };
        var bound = _newBinder(scope).BindAs(on, SqlType.Boolean, CastContext.Implicit);
        return BoundColumns.Shift(bound, node.Start);
    }

    /// <summary>Puts a WHERE conjunct as low as it can go; false when it must stay above the whole join.</summary>
    private static bool Place(BoundExpr conjunct, JoinTree tree)
    {
        switch (tree)
        {
            case JoinTreeLeaf leaf:
                leaf.Predicates.Add(conjunct);
                return true;
            case JoinTreeNode node when node.Left.Covers(conjunct) && node.PreservesLeftFilter:
                return Place(conjunct, node.Left);
            case JoinTreeNode node when node.Right.Covers(conjunct) && node.PreservesRightFilter:
                return Place(conjunct, node.Right);
            case JoinTreeNode { Type: JoinType.Inner or JoinType.Cross } node:
                node.Predicates.Add(conjunct);
                return true;
            default:
                return false;
        }
    }

    private static LogicalPlan PlanTree(JoinTree tree)
    {
        Limits.DepthGuard.Enter();
        var local = new List<BoundExpr>(tree.Predicates.Count);
        foreach (var predicate in tree.Predicates)
            local.Add(BoundColumns.Shift(predicate, -tree.Start));
        if (tree is JoinTreeLeaf leaf)
            return leaf.Leaf.Plan(BoundColumns.And(local));
        var node = (JoinTreeNode)tree;
        var left = PlanTree(node.Left);
        var right = PlanTree(node.Right);
        var leftKeys = new List<BoundExpr>();
        var rightKeys = new List<BoundExpr>();
        var condition = new List<BoundExpr>();
        foreach (var predicate in local)
        {
            foreach (var conjunct in BoundColumns.Conjuncts(predicate))
            {
                if (TrySplitKey(conjunct, node.Left.Width, node.Right.Width, out var leftKey, out var rightKey))
                {
                    leftKeys.Add(leftKey);
                    rightKeys.Add(rightKey);
                }
                else
                {
                    condition.Add(conjunct);
                }
            }
        }
        var type = node.Type == JoinType.Cross && (leftKeys.Count > 0 || condition.Count > 0)
            ? JoinType.Inner : node.Type;
        return new LogicalJoin(left, right, type, new([.. leftKeys]), new([.. rightKeys]),
            BoundColumns.And(condition));
    }

    /// <summary>
    /// An equality of an expression over the left side's columns with one over the right side's (either way
    /// round) is a hash key: the right one is rebased onto the right side's own row.
    /// </summary>
    private static bool TrySplitKey(BoundExpr conjunct, int leftWidth, int rightWidth, out BoundExpr leftKey,
        out BoundExpr rightKey)
    {
        leftKey = rightKey = null!;
        if (conjunct is not BoundBinary { Op: BinaryOp.Equal } equal || equal.Left.Type != equal.Right.Type
            || !IsHashable(equal.Left.Type))
            return false;
        var (a, b) = (equal.Left, equal.Right);
        if (!ReadsColumns(a) || !ReadsColumns(b))
            return false;
        if (BoundColumns.Within(b, 0, leftWidth) && BoundColumns.Within(a, leftWidth, rightWidth))
            (a, b) = (b, a);
        if (!BoundColumns.Within(a, 0, leftWidth) || !BoundColumns.Within(b, leftWidth, rightWidth))
            return false;
        leftKey = a;
        rightKey = BoundColumns.Shift(b, -leftWidth);
        return true;
    }

    private static bool ReadsColumns(BoundExpr expression) => BoundColumns.Range(expression).Max >= 0;

    // Values compared element by element (ARRAY, MAP, STRUCT) are matched by the condition, not hashed.
    private static bool IsHashable(SqlType type) => !type.IsComplex && type.Kind != SqlTypeKind.Null;
}
