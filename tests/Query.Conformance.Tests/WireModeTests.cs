using Npgsql;
using Query.Server;
using Query.Testing;
using Xunit.Abstractions;

namespace Query.Conformance.Tests;

/// <summary>
/// The runner's wire mode against a server this test starts (engine and PostgreSQL listener on port 0): the same
/// cases, run over Npgsql, give the same verdicts as in process.
/// </summary>
public sealed class WireModeTests(ITestOutputHelper output)
{
    private static readonly string[] SharedFiles =
    [
        "rest-query-validation-tests/insert-values.json",
        "rest-query-validation-tests/pull-queries-against-streams.json",
        "query-validation-tests/formats.json",
    ];

    [Fact]
    public async Task Generated_cases_pass_and_fail_over_the_wire_as_in_process()
    {
        using var folder = new TempDirectory("qtt");
        var rest = Path.Combine(folder.Path, "rest-query-validation-tests");
        Directory.CreateDirectory(rest);
        await File.WriteAllTextAsync(Path.Combine(rest, "generated.json"), """
            {"tests": [
              {"name": "insert, pull and push",
               "statements": ["CREATE STREAM S (K STRING KEY, V INT, M MAP<STRING, INT>) WITH (kafka_topic='t', format='JSON');",
                              "INSERT INTO S (K, V, ROWTIME) VALUES ('a', 1, 5);", "SELECT K, V, M FROM S;",
                              "SELECT V * 2 AS D FROM S EMIT CHANGES;"],
               "inputs": [{"topic": "t", "key": "z", "value": {"V": 0, "M": {"x": 1}}, "timestamp": 1}],
               "outputs": [{"topic": "t", "key": "z", "value": {"V": 0, "M": {"x": 1}}, "timestamp": 1},
                           {"topic": "t", "key": "a", "value": {"V": 1, "M": null}, "timestamp": 5}],
               "responses": [{"admin": {}}, {"admin": {}},
                             {"query": [{"header": {"schema": "`K` STRING, `V` INTEGER, `M` MAP<STRING, INTEGER>"}},
                               {"row": {"columns": ["z", 0, {"x": 1}]}}, {"row": {"columns": ["a", 1, null]}}]},
                             {"query": [{"header": {"schema": "`D` INTEGER"}},
                               {"row": {"columns": [0]}}, {"row": {"columns": [2]}}]}]},
              {"name": "wrong value",
               "statements": ["CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='t', format='JSON');"],
               "inputs": [{"topic": "t", "key": "z", "value": {"V": 0}}],
               "outputs": [{"topic": "t", "key": "z", "value": {"V": 7}}]},
              {"name": "delimited", "statements": [
                 "CREATE STREAM D (K INT KEY, A STRING, B DOUBLE) WITH (kafka_topic='d', key_format='KAFKA', value_format='DELIMITED');"],
               "inputs": [{"topic": "d", "key": 3, "value": "x,1.5", "timestamp": 9}],
               "outputs": [{"topic": "d", "key": 3, "value": "x,1.5", "timestamp": 9}]},
              {"name": "expects an error", "statements": ["CREATE STREAM S (V INT) WITH (kafka_topic='t', value_format='NOPE');"],
               "expectedError": {"message": "unknown format"}}
            ]}
            """);
        var inProcess = await ConformanceRun.RunAsync(folder.Path);
        using var data = new TempDirectory("qtt-server");
        await using var server = await StartServerAsync(data.Path);
        var wire = await ConformanceRun.RunAsync(folder.Path, ConnectionString(server));
        output.WriteLine(wire.Details());
        var verdicts = wire.Outcomes.ToDictionary(o => o.Case.Name, o => o.Verdict);
        Assert.Equal(Verdict.Pass, verdicts["insert, pull and push"]);
        Assert.Equal(Verdict.Fail, verdicts["wrong value"]);
        Assert.Equal(Verdict.Pass, verdicts["delimited"]);
        Assert.Equal(Verdict.Pass, verdicts["expects an error"]);
        Assert.Equal(inProcess.Outcomes.Select(o => o.Verdict), wire.Outcomes.Select(o => o.Verdict));
    }

    [Fact]
    public async Task Shared_files_pass_over_the_wire_where_they_pass_in_process()
    {
        var shared = Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "conformance", "ksql-qtt"));
        if (!Directory.Exists(shared))
        {
            output.WriteLine($"no QTT folder at {shared}: nothing to measure");
            return;
        }
        using var folder = new TempDirectory("qtt");
        foreach (var file in SharedFiles)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder.Path, file))!);
            File.Copy(Path.Combine(shared, file), Path.Combine(folder.Path, file));
        }
        var inProcess = await ConformanceRun.RunAsync(folder.Path);
        using var data = new TempDirectory("qtt-server");
        await using var server = await StartServerAsync(data.Path);
        var wire = await ConformanceRun.RunAsync(folder.Path, ConnectionString(server));
        output.WriteLine(wire.ToMarkdown());
        output.WriteLine(wire.Details());
        var wirePasses = wire.Outcomes.Where(o => o.Verdict == Verdict.Pass).Select(o => o.Case.Name).ToHashSet();
        var missing = inProcess.Outcomes.Where(o => o.Verdict == Verdict.Pass && !wirePasses.Contains(o.Case.Name))
            .Select(o => $"{o.Case.File} | {o.Case.Name}").ToList();
        Assert.True(wire.Count(Verdict.Pass) > 20, $"{wire.Count(Verdict.Pass)} passes over the wire");
        Assert.Empty(missing.Except(WireOnlyDifferences));
    }

    /// <summary>Cases that cannot pass over the wire, with the reason.</summary>
    private static readonly string[] WireOnlyDifferences =
    [
        // The wire target reads a sink's topic with a pull query over a stream; a table sink's topic is its
        // changelog, which no SQL statement reads back record by record (a pull query answers the latest rows).
        "query-validation-tests/formats.json | override key format - create table as select",
    ];

    private static Task<QueryServer> StartServerAsync(string directory) =>
        QueryServer.StartAsync(new ServerSettings { DataDirectory = directory, Port = 0 });

    private static string ConnectionString(QueryServer server)
    {
        NpgsqlConnection.ClearAllPools();
        return $"Host=127.0.0.1;Port={server.EndPoint.Port};Username=query;Database=query;Timeout=15;"
            + "Command Timeout=60;Pooling=false";
    }
}
