using System.Text.Json;
using Query.Grammar;
using Ast = Query.Grammar.Ast;

namespace Query.Conformance;

/// <summary>
/// The topics ksqlDB's REST test harness creates before a case's statements run (its
/// <c>TestCaseBuilderUtil.getAllTopics</c>, then <c>createTopic</c> on an embedded Kafka): every topic a CREATE
/// STREAM / TABLE names, with the partitions of the case's <c>topics</c> entry, else the statement's PARTITIONS, else
/// the harness's <c>Topic.DEFAULT_PARTITIONS</c> (4). Its producer then places keyed inputs with Kafka's default
/// partitioner over those partitions, which is what a case's ROWPARTITION expects. The query-validation (QTT) cases
/// run on Kafka Streams' test driver, whose inputs all go to partition 0: their sources keep the partitions their
/// CREATE gives.
/// </summary>
public static class CaseTopics
{
    /// <summary>ksqlDB's <c>Topic.DEFAULT_PARTITIONS</c>.</summary>
    public const int HarnessDefaultPartitions = 4;

    /// <summary>Topic name and partition count of every topic the harness would create for a REST case.</summary>
    public static IReadOnlyList<(string Topic, int Partitions)> Of(QttCase c)
    {
        var declared = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var topic in c.Array("topics"))
        {
            if (topic.TryGetProperty("name", out var name) && name.GetString() is { } text)
                declared[text] = topic.TryGetProperty("partitions", out var partitions)
                    && partitions.ValueKind == JsonValueKind.Number ? partitions.GetInt32() : HarnessDefaultPartitions;
        }
        var topics = new List<(string, int)>();
        foreach (var statement in c.Statements)
        {
            if (Source(statement) is not var (topic, partitions))
                continue;
            if (topics.Exists(t => string.Equals(t.Item1, topic, StringComparison.OrdinalIgnoreCase)))
                continue;
            topics.Add((topic, declared.TryGetValue(topic, out var given) ? given
                : partitions ?? HarnessDefaultPartitions));
        }
        return topics;
    }

    /// <summary>The topic and PARTITIONS of a CREATE STREAM / TABLE with columns; null for anything else (a
    /// statement that does not parse fails later, where the case expects it).</summary>
    private static (string Topic, int? Partitions)? Source(string statement)
    {
        Ast.Statement syntax;
        try
        {
            syntax = SqlParser.ParseStatement(statement);
        }
        catch (SqlSyntaxException)
        {
            return null;
        }
        var (name, properties) = syntax switch
        {
            Ast.CreateStream { Columns.Count: > 0 } stream => (stream.Name, stream.Properties),
            Ast.CreateTable { Columns.Count: > 0 } table => (table.Name, table.Properties),
            _ => (null!, default(Ast.EquatableArray<Ast.TableProperty>)),
        };
        if (name is null)
            return null;
        string topic = name.Name.Value;
        int? partitions = null;
        foreach (var property in properties)
        {
            if (property.Name.Value.Equals("KAFKA_TOPIC", StringComparison.OrdinalIgnoreCase)
                && property.Value is Ast.StringLiteral text)
                topic = text.Value;
            else if (property.Name.Value.Equals("PARTITIONS", StringComparison.OrdinalIgnoreCase)
                && property.Value is Ast.IntegerLiteral { Value: > 0 and <= 1024 } count)
                partitions = (int)count.Value;
        }
        return (topic, partitions);
    }
}
