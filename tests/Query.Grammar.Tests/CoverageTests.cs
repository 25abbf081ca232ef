using Query.Grammar.Ast;

namespace Query.Grammar.Tests;

public class CoverageTests
{
    /// <summary>
    /// Every concrete AST node type is produced by some statement of the round-trip corpus, so the formatter
    /// and the round trip are exercised for all of them; a new node fails here until the corpus shows it.
    /// </summary>
    [Fact]
    public void Round_trip_corpus_produces_every_node_type()
    {
        var seen = new HashSet<Type>();
        foreach (var sql in StatementCorpus.Statements)
        {
            foreach (var statement in SqlParser.Parse(sql))
                Collect(statement, seen);
        }
        var all = typeof(SyntaxNode).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(SyntaxNode)) && !t.IsAbstract)
            .Select(t => t.Name)
            .Order()
            .ToList();
        var missing = all.Except(seen.Select(t => t.Name)).ToList();
        Assert.True(missing.Count == 0, "not in the corpus: " + string.Join(", ", missing));
    }

    /// <summary>Every node reachable from <paramref name="root"/>, root included.</summary>
    public static List<SyntaxNode> Nodes(SyntaxNode root)
    {
        var nodes = new List<SyntaxNode>();
        Walk(root, nodes);
        return nodes;
    }

    private static void Walk(object? value, List<SyntaxNode> nodes)
    {
        switch (value)
        {
            case SyntaxNode node:
                nodes.Add(node);
                foreach (var property in node.GetType().GetProperties())
                {
                    if (property.Name is not ("Span" or "EqualityContract") && property.GetIndexParameters().Length == 0)
                        Walk(property.GetValue(node), nodes);
                }
                return;
            case System.Collections.IEnumerable items and not string:
                foreach (var item in items)
                    Walk(item, nodes);
                return;
        }
    }

    private static void Collect(object? value, HashSet<Type> seen)
    {
        switch (value)
        {
            case null:
                return;
            case SyntaxNode node:
                if (!seen.Add(node.GetType()) && node is Identifier)
                    return;
                foreach (var property in node.GetType().GetProperties())
                {
                    if (property.Name is not ("Span" or "EqualityContract") && property.GetIndexParameters().Length == 0)
                        Collect(property.GetValue(node), seen);
                }
                return;
            case System.Collections.IEnumerable items and not string:
                foreach (var item in items)
                    Collect(item, seen);
                return;
        }
    }
}
