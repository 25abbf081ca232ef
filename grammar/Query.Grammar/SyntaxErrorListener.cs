using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using Query.Grammar.Generated;

namespace Query.Grammar;

/// <summary>
/// Turns the first ANTLR error into a <see cref="SqlSyntaxException"/> and stops the parse by throwing.
/// Replaces ANTLR's console listener, so nothing is ever written to stdout or stderr.
/// </summary>
internal sealed class SyntaxErrorListener : IAntlrErrorListener<IToken>, IAntlrErrorListener<int>
{
    private const int MaxExpectedInMessage = 8;

    private readonly string _sql;

    public SyntaxErrorListener(string sql) => _sql = sql;

    public void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line,
        int charPositionInLine, string msg, RecognitionException e)
    {
        var expected = ExpectedTokens(recognizer as Parser, e);
        if (offendingSymbol is null || offendingSymbol.Type == TokenConstants.EOF)
            throw Build(_sql.Length, "", "syntax error at end of input", expected);
        var text = offendingSymbol.Text ?? "";
        throw Build(offendingSymbol.StartIndex, text, $"syntax error at or near \"{text}\"", expected);
    }

    public void SyntaxError(TextWriter output, IRecognizer recognizer, int offendingSymbol, int line,
        int charPositionInLine, string msg, RecognitionException e)
    {
        // The lexer has a catch-all token, so this is a safety net rather than an expected path.
        var offset = (recognizer as Lexer)?.TokenStartCharIndex ?? 0;
        var text = offset < _sql.Length ? _sql.Substring(offset, 1) : "";
        throw Build(offset, text, $"syntax error at or near \"{text}\"", []);
    }

    private SqlSyntaxException Build(int offset, string text, string message, string[] expected)
    {
        var (line, column) = Ast.TextSpan.GetLineColumn(_sql, offset);
        if (expected.Length > 0)
        {
            var shown = expected.Length <= MaxExpectedInMessage
                ? string.Join(", ", expected)
                : string.Join(", ", expected.AsSpan(0, MaxExpectedInMessage).ToArray()) + ", ...";
            message = $"{message} (line {line}, column {column}); expected {shown}";
        }
        else
        {
            message = $"{message} (line {line}, column {column})";
        }
        return new SqlSyntaxException(message, line, column, offset, text, expected);
    }

    private static string[] ExpectedTokens(Parser? parser, RecognitionException? e)
    {
        if (parser is null)
            return [];
        IntervalSet set;
        try
        {
            set = e?.GetExpectedTokens() ?? parser.GetExpectedTokens();
        }
        catch (ArgumentException)
        {
            // Expected-token computation can fail on a state ANTLR cannot describe; the error stands without it.
            return [];
        }
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in set.ToArray())
            names.Add(DisplayName(parser.Vocabulary, type));
        return [.. names];
    }

    private static string DisplayName(IVocabulary vocabulary, int type) => type switch
    {
        TokenConstants.EOF => "end of input",
        QuerySqlParser.IDENTIFIER or QuerySqlParser.QUOTED_IDENTIFIER or QuerySqlParser.BACKQUOTED_IDENTIFIER
            => "identifier",
        QuerySqlParser.STRING => "string",
        QuerySqlParser.INTEGER_VALUE or QuerySqlParser.DECIMAL_VALUE or QuerySqlParser.DOUBLE_VALUE => "number",
        QuerySqlParser.PARAMETER => "parameter",
        _ => vocabulary.GetDisplayName(type).Trim('\''),
    };
}
