namespace Query.Grammar.Ast;

/// <summary>
/// Base of every AST node. Nodes are immutable sealed records whose collections are
/// <see cref="EquatableArray{T}"/>, so record equality is structural all the way down.
/// </summary>
/// <remarks>
/// Equality policy: <see cref="Span"/> is deliberately excluded from equality and hashing. Two nodes are equal
/// when they mean the same SQL, wherever the text came from; this is what makes
/// <c>parse(format(parse(x))) == parse(x)</c> a plain <c>Assert.Equal</c> and lets golden tests compare trees
/// built by hand. Compare <c>Span</c> explicitly where positions matter.
/// </remarks>
public abstract record SyntaxNode
{
    /// <summary>Where the node came from in the statement text; default for nodes built in code.</summary>
    public TextSpan Span { get; init; }

    public virtual bool Equals(SyntaxNode? other) =>
        other is not null && EqualityContract == other.EqualityContract;

    public override int GetHashCode() => EqualityContract.GetHashCode();
}
