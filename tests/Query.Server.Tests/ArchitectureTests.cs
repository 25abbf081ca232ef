using System.Reflection;

namespace Query.Server.Tests;

/// <summary>
/// Dependencies point one way: server -> engine -> storage/tiering/grammar; tiering -> storage only (it knows no SQL);
/// the wire knows no engine.
/// </summary>
public sealed class ArchitectureTests
{
    [Theory]
    [InlineData("Query.Storage", new[] { "Query.Grammar", "Query.Engine", "Query.PgWire", "Query.Server" })]
    [InlineData("Query.Grammar", new[] { "Query.Storage", "Query.Engine", "Query.PgWire", "Query.Server" })]
    [InlineData("Query.PgWire", new[] { "Query.Storage", "Query.Grammar", "Query.Engine", "Query.Server" })]
    [InlineData("Query.Engine", new[] { "Query.PgWire", "Query.Server" })]
    [InlineData("Query.Tiering", new[] { "Query.Grammar", "Query.Engine", "Query.PgWire", "Query.Server" })]
    public void Assembly_references_only_lower_layers(string assembly, string[] forbidden)
    {
        var references = Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain(references, name => forbidden.Contains(name));
    }
}
