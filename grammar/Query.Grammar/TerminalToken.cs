using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using Antlr4.Runtime.Tree;

namespace Query.Grammar;

/// <summary>
/// A token that is also its own leaf in the parse tree. The runtime wraps every matched token in a
/// <see cref="TerminalNodeImpl"/>; <see cref="SqlRuleContext"/> adds the token itself instead, which saves an
/// object per token. It answers as a <see cref="TerminalNodeImpl"/> would; only <see cref="object.ToString"/>
/// keeps the token's form, since tokens are what error reporting prints.
/// </summary>
/// <remarks>
/// A token sits in at most one live tree: the parser adds each consumed token once, and when
/// <see cref="SqlParser"/> parses the same tokens a second time (the LL retry) the first tree is discarded, so
/// <see cref="Parent"/> is simply overwritten.
/// </remarks>
internal sealed class TerminalToken : CommonToken, ITerminalNode
{
    public TerminalToken(Tuple<ITokenSource, ICharStream> source, int type, int channel, int start, int stop)
        : base(source, type, channel, start, stop)
    {
    }

    public TerminalToken(int type, string text)
        : base(type, text)
    {
    }

    /// <summary>The context this token was last added to.</summary>
    public IRuleNode? Parent { get; set; }

    public IToken Symbol => this;

    IParseTree IParseTree.Parent => Parent!;

    ITree ITree.Parent => Parent!;

    object ITree.Payload => this;

    public Interval SourceInterval => new(TokenIndex, TokenIndex);

    public int ChildCount => 0;

    IParseTree IParseTree.GetChild(int i) => null!;

    ITree ITree.GetChild(int i) => null!;

    public TResult Accept<TResult>(IParseTreeVisitor<TResult> visitor) => visitor.VisitTerminal(this);

    public string GetText() => Text;

    public string ToStringTree(Parser parser) => ToStringTree();

    public string ToStringTree() => Type == TokenConstants.EOF ? "<EOF>" : Text;
}
