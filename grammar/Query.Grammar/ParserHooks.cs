using System.Runtime.CompilerServices;
using Antlr4.Runtime;

namespace Query.Grammar.Generated;

/// <summary>
/// Hooks into the generated parser. Rule entries check the stack, so deeply nested input ends in
/// <see cref="StatementTooComplexException"/> instead of a process-killing stack overflow; and the depth of the
/// tree being built is counted as the parser goes, so a flat chain of a million ANDs (parsed in a loop, but a
/// million levels deep as a tree) stops at the limit instead of being parsed in full and thrown away.
/// </summary>
public partial class QuerySqlParser
{
    // Open recursion-rule invocations, each with the number of operators its loop has folded in so far.
    private readonly Stack<int> _chainLengths = new();
    private int _treeDepth;

    /// <summary>Deepest tree the current parse may build; set by <see cref="SqlParser"/> before each parse.</summary>
    internal int MaxTreeDepth { get; set; } = int.MaxValue;

    /// <summary>Forgets the depth bookkeeping of an earlier parse (one that threw halfway, say).</summary>
    internal void ResetTreeDepth()
    {
        _chainLengths.Clear();
        _treeDepth = 0;
    }

    public override void EnterRule(ParserRuleContext localctx, int state, int ruleIndex)
    {
        // Every cycle in the grammar passes through a left-recursive rule (checked below) except
        // EXPLAIN statement, so only that rule needs the check here; it costs a few ns per call.
        if (ruleIndex == RULE_statement)
            RuntimeHelpers.EnsureSufficientExecutionStack();
        base.EnterRule(localctx, state, ruleIndex);
    }

    public override void EnterRecursionRule(ParserRuleContext localctx, int state, int ruleIndex, int precedence)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        _chainLengths.Push(0);
        Deepen();
        base.EnterRecursionRule(localctx, state, ruleIndex, precedence);
    }

    public override void PushNewRecursionContext(ParserRuleContext localctx, int state, int ruleIndex)
    {
        _chainLengths.Push(_chainLengths.Pop() + 1);
        Deepen();
        base.PushNewRecursionContext(localctx, state, ruleIndex);
    }

    public override void UnrollRecursionContexts(ParserRuleContext _parentctx)
    {
        if (_chainLengths.Count > 0)
            _treeDepth -= _chainLengths.Pop() + 1;
        base.UnrollRecursionContexts(_parentctx);
    }

    private void Deepen()
    {
        if (++_treeDepth > MaxTreeDepth)
            throw new StatementTooComplexException(
                $"statement too complex: nested more than {MaxTreeDepth} levels deep", CurrentToken.StartIndex);
    }
}
