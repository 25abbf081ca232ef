using Antlr4.Runtime;

namespace Query.Grammar;

/// <summary>Creates <see cref="TerminalToken"/>s exactly as <see cref="CommonTokenFactory.Default"/> creates
/// <see cref="CommonToken"/>s (text is read from the input on demand, not copied).</summary>
internal sealed class TerminalTokenFactory : CommonTokenFactory
{
    public static readonly TerminalTokenFactory Instance = new();

    private TerminalTokenFactory()
        : base(copyText: false)
    {
    }

    public override CommonToken Create(Tuple<ITokenSource, ICharStream> source, int type, string text, int channel,
        int start, int stop, int line, int charPositionInLine)
    {
        var token = new TerminalToken(source, type, channel, start, stop) { Line = line, Column = charPositionInLine };
        if (text != null)
            token.Text = text;
        return token;
    }

    public override CommonToken Create(int type, string text) => new TerminalToken(type, text);
}
