using System.Runtime.CompilerServices;
using Antlr4.Runtime;

namespace Query.Grammar.Generated;

/// <summary>
/// Hooks into the generated parser. Rule entries check the stack, so deeply nested input
/// (ten thousand parentheses or NOTs) ends in <see cref="InsufficientExecutionStackException"/>, which
/// <see cref="SqlParser"/> reports as a syntax error, instead of a process-killing stack overflow.
/// </summary>
public partial class QuerySqlParser
{
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
        base.EnterRecursionRule(localctx, state, ruleIndex, precedence);
    }
}
