using System.Runtime.CompilerServices;
using Antlr4.Runtime;

namespace Query.Grammar.Generated;

/// <summary>
/// Hooks into the generated parser. Every rule entry checks the stack, so deeply nested input
/// (ten thousand parentheses or NOTs) ends in <see cref="InsufficientExecutionStackException"/>, which
/// <see cref="SqlParser"/> reports as a syntax error, instead of a process-killing stack overflow.
/// </summary>
public partial class QuerySqlParser
{
    public override void EnterRule(ParserRuleContext localctx, int state, int ruleIndex)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        base.EnterRule(localctx, state, ruleIndex);
    }

    public override void EnterRecursionRule(ParserRuleContext localctx, int state, int ruleIndex, int precedence)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        base.EnterRecursionRule(localctx, state, ruleIndex, precedence);
    }
}
