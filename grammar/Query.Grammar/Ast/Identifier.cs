namespace Query.Grammar.Ast;

/// <summary>
/// A name as written. Unquoted names are case-insensitive and folded to lower case in <see cref="Value"/>, as
/// PostgreSQL does; backtick- and double-quoted names keep their case. <see cref="Text"/> keeps the original
/// spelling (without quotes) for messages. Equality compares <see cref="Value"/> only, so <c>foo</c>,
/// <c>FOO</c> and <c>"foo"</c> are the same name and <c>"FOO"</c> is a different one. ksqlDB statements keep
/// working: their unquoted names are case-insensitive under either folding.
/// </summary>
public sealed record Identifier(string Value, string Text, bool Quoted) : SyntaxNode
{
    /// <summary>An unquoted identifier (folded to lower case).</summary>
    public static Identifier Unquoted(string text) => new(Fold(text), text, Quoted: false);

    /// <summary>
    /// PostgreSQL's folding of an unquoted name: lower case. An ASCII fast path, because with invariant
    /// globalization the runtime maps each character through the Unicode tables and names are nearly always ASCII.
    /// </summary>
    public static string Fold(string text)
    {
        if (!System.Text.Ascii.IsValid(text))
            return text.ToLowerInvariant();
        if (text.AsSpan().IndexOfAnyInRange('A', 'Z') < 0)
            return text;
        return string.Create(text.Length, text,
            static (lower, source) => System.Text.Ascii.ToLower(source, lower, out _));
    }

    /// <summary>A quoted identifier: case is kept.</summary>
    public static Identifier QuotedName(string text) => new(text, text, Quoted: true);

    public bool Equals(Identifier? other) =>
        other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => Value;
}

/// <summary>A dotted name such as <c>pg_catalog.pg_type</c>; most names have one part.</summary>
public sealed record QualifiedName(EquatableArray<Identifier> Parts) : SyntaxNode
{
    public static QualifiedName Of(params string[] unquotedParts)
    {
        var parts = new Identifier[unquotedParts.Length];
        for (var i = 0; i < parts.Length; i++)
            parts[i] = Identifier.Unquoted(unquotedParts[i]);
        return new QualifiedName(new EquatableArray<Identifier>(parts));
    }

    /// <summary>The last part: the object's own name without its schema.</summary>
    public Identifier Name => Parts[Parts.Count - 1];

    /// <summary>The parts before the last one (for example the schema), or null for a one-part name.</summary>
    public string? Schema => Parts.Count > 1 ? Parts[Parts.Count - 2].Value : null;

    public override string ToString() => string.Join('.', (IEnumerable<Identifier>)Parts);
}
