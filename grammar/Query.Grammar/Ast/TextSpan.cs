namespace Query.Grammar.Ast;

/// <summary>
/// A range of the statement text: <see cref="Start"/> is the 0-based UTF-16 offset of the first character,
/// <see cref="Length"/> the number of characters. Line and column are derived on demand from the source
/// text (<see cref="GetLineColumn(string)"/>) because only error paths need them.
/// </summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    /// <summary>1-based line and column of <see cref="Start"/> within <paramref name="source"/>.</summary>
    public (int Line, int Column) GetLineColumn(string source) => GetLineColumn(source, Start);

    /// <summary>1-based line and column of a 0-based offset; a CR LF pair counts as one line break.</summary>
    public static (int Line, int Column) GetLineColumn(string source, int offset)
    {
        ArgumentNullException.ThrowIfNull(source);
        var line = 1;
        var lineStart = 0;
        var end = Math.Min(offset, source.Length);
        for (var i = 0; i < end; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, offset - lineStart + 1);
    }

    public override string ToString() => $"[{Start}..{End})";
}
