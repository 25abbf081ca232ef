namespace Query.Grammar.Ast;

/// <summary>
/// A name as written. Unquoted names are case-insensitive and normalised to upper case in
/// <see cref="Value"/>, as ksqlDB does; backtick- and double-quoted names keep their case. <see cref="Text"/>
/// keeps the original spelling (without quotes) for messages. Equality compares <see cref="Value"/> only,
/// so <c>foo</c>, <c>FOO</c> and <c>"FOO"</c> are the same name and <c>"foo"</c> is a different one.
/// </summary>
public sealed record Identifier(string Value, string Text, bool Quoted) : SyntaxNode
{
    /// <summary>An unquoted identifier (normalised to upper case).</summary>
    public static Identifier Unquoted(string text) => new(text.ToUpperInvariant(), text, Quoted: false);

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
