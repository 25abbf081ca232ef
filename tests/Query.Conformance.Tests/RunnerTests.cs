using System.Text.Json;
using Query.Testing;

namespace Query.Conformance.Tests;

/// <summary>The runner's parts on generated cases, so it is tested without the shared folder.</summary>
public sealed class RunnerTests
{
    [Fact]
    public void Comments_outside_strings_are_removed()
    {
        var json = QttLoader.StripComments("{\"a\": \"x // not a comment\", // a comment\n \"b\": 1}");
        using var document = JsonDocument.Parse(json);
        Assert.Equal("x // not a comment", document.RootElement.GetProperty("a").GetString());
        Assert.Equal(1, document.RootElement.GetProperty("b").GetInt32());
    }

    [Fact]
    public void Format_and_config_matrices_expand_into_cases()
    {
        var test = JsonCompare.Parse("{\"name\": \"t\", \"format\": [\"JSON\", \"DELIMITED\"], \"config\": [\"a\", "
            + "\"b\"], \"statements\": [\"CREATE STREAM S (X INT) WITH (value_format='{FORMAT}');\"]}");
        var cases = QttLoader.Expand("f.json", false, test).ToList();
        Assert.Equal(4, cases.Count);
        Assert.Equal("t - DELIMITED - b", cases[3].Name);
        Assert.Contains("'DELIMITED'", cases[3].Statements[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Json_values_compare_numbers_by_value_and_names_case_insensitively()
    {
        Assert.True(JsonCompare.Equal(JsonCompare.Parse("{\"A\": 1.0, \"b\": null}"), JsonCompare.Parse("{\"a\": 1}")));
        Assert.False(JsonCompare.Equal(JsonCompare.Parse("{\"A\": 1}"), JsonCompare.Parse("{\"A\": \"1\"}")));
        Assert.False(JsonCompare.Equal(JsonCompare.Parse("[1, 2]"), JsonCompare.Parse("[2, 1]")));
    }

    [Fact]
    public async Task A_case_the_engine_runs_passes_and_a_wrong_expectation_fails()
    {
        using var folder = new TempDirectory("qtt");
        var rest = Path.Combine(folder.Path, "rest-query-validation-tests");
        Directory.CreateDirectory(rest);
        await File.WriteAllTextAsync(Path.Combine(rest, "generated.json"), """
            {"tests": [
              {"name": "insert and pull", // a comment
               "statements": ["CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='t', format='JSON');",
                              "INSERT INTO S (K, V, ROWTIME) VALUES ('a', 1, 5);", "SELECT * FROM S;"],
               "inputs": [{"topic": "t", "key": "z", "value": {"V": 0}, "timestamp": 1}],
               "outputs": [{"topic": "t", "key": "z", "value": {"V": 0}, "timestamp": 1},
                           {"topic": "t", "key": "a", "value": {"V": 1}, "timestamp": 5}],
               "responses": [{"admin": {}}, {"admin": {}}, {"query": [{"header": {"schema": "`K` STRING, `V` INTEGER"}},
                             {"row": {"columns": ["z", 0]}}, {"row": {"columns": ["a", 1]}}]}]},
              {"name": "wrong value",
               "statements": ["CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='t', format='JSON');"],
               "inputs": [{"topic": "t", "key": "z", "value": {"V": 0}}],
               "outputs": [{"topic": "t", "key": "z", "value": {"V": 7}}]},
              {"name": "registry", "statements": ["CREATE STREAM S (V INT) WITH (kafka_topic='t', value_format='AVRO');"]},
              {"name": "expects an error", "statements": ["CREATE STREAM S (V INT) WITH (kafka_topic='t', value_format='NOPE');"],
               "expectedError": {"message": "unknown format"}}
            ]}
            """);
        var report = await ConformanceRun.RunAsync(folder.Path);
        var verdicts = report.Outcomes.ToDictionary(o => o.Case.Name, o => o);
        Assert.Equal(Verdict.Pass, verdicts["insert and pull"].Verdict);
        Assert.Equal((Verdict.Fail, Categories.WrongValue),
            (verdicts["wrong value"].Verdict, verdicts["wrong value"].Category));
        Assert.Equal(Verdict.NotApplicable, verdicts["registry"].Verdict);
        Assert.Equal(Verdict.Pass, verdicts["expects an error"].Verdict);
    }

    [Fact]
    public async Task A_rest_case_s_topics_have_the_partitions_ksqldb_s_harness_creates()
    {
        using var folder = new TempDirectory("qtt");
        var rest = Path.Combine(folder.Path, "rest-query-validation-tests");
        Directory.CreateDirectory(rest);
        // Kafka's partitioner puts the KAFKA key "x" in partition 2 of 4 (the harness's default), in 0 of 1.
        static string Case(string name, string with, string topics, int partition) => $$$"""
            {"name": "{{{name}}}", {{{topics}}}
             "statements": ["CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='t', value_format='JSON'{{{with}}});",
                            "SELECT ROWPARTITION, K FROM S;"],
             "inputs": [{"topic": "t", "key": "x", "value": {"V": 0}}],
             "responses": [{"admin": {}}, {"query": [{"row": {"columns": [{{{partition}}}, "x"]}}]}]}
            """;
        await File.WriteAllTextAsync(Path.Combine(rest, "partitions.json"), "{\"tests\": ["
            + Case("default", "", "", 2) + ", " + Case("statement", ", PARTITIONS=1", "", 0) + ", "
            + Case("topics entry", "", "\"topics\": [{\"name\": \"t\", \"partitions\": 1}],", 0) + ", "
            + Case("wrong partition", "", "", 0) + "]}");
        var verdicts = (await ConformanceRun.RunAsync(folder.Path)).Outcomes.ToDictionary(o => o.Case.Name);
        foreach (var name in new[] { "default", "statement", "topics entry" })
            Assert.True(verdicts[name].Verdict == Verdict.Pass, $"{name}: {verdicts[name].Detail}");
        Assert.Equal(Verdict.Fail, verdicts["wrong partition"].Verdict);
    }

    [Fact]
    public async Task A_persistent_query_runs_in_the_engine_and_its_sink_is_compared()
    {
        using var folder = new TempDirectory("qtt");
        var qtt = Path.Combine(folder.Path, "query-validation-tests");
        Directory.CreateDirectory(qtt);
        await File.WriteAllTextAsync(Path.Combine(qtt, "csas.json"), """
            {"tests": [{"name": "project",
              "statements": ["CREATE STREAM INPUT (ID INT KEY, NAME STRING) WITH (kafka_topic='in', value_format='DELIMITED');",
                             "CREATE STREAM OUTPUT WITH (value_format='JSON') AS SELECT ID, UCASE(NAME) AS N FROM INPUT WHERE ID > 1;"],
              "inputs": [{"topic": "in", "key": 1, "value": "a", "timestamp": 10}, {"topic": "in", "key": 2, "value": "b", "timestamp": 20}],
              "outputs": [{"topic": "OUTPUT", "key": 2, "value": {"N": "B"}, "timestamp": 20}]}]}
            """);
        var report = await ConformanceRun.RunAsync(folder.Path);
        var outcome = Assert.Single(report.Outcomes);
        Assert.True(outcome.Verdict == Verdict.Pass, outcome.Detail);
    }

    [Fact]
    public void Intended_differences_need_a_reason()
    {
        using var folder = new TempDirectory("qtt");
        var path = Path.Combine(folder.Path, "differences.txt");
        File.WriteAllText(path, "f.json | case\n");
        Assert.Throws<FormatException>(() => IntendedDifferences.Load(path));
        File.WriteAllText(path, "# comment\nf.json | case | because\n");
        Assert.Equal(1, IntendedDifferences.Load(path).Count);
    }
}
