using Query.Engine.Errors;

namespace Query.Engine.Tests;

/// <summary>Runs alone: these limits are process-wide (functions are static), and the tests lower them.</summary>
[CollectionDefinition(nameof(ProcessWideLimitTests), DisableParallelization = true)]
public sealed class ProcessWideLimitsCollection;

[Collection(nameof(ProcessWideLimitTests))]
public sealed class ProcessWideLimitTests
{
    [Fact]
    public async Task An_in_list_past_the_limit_is_54000()
    {
        try
        {
            await using var small = new EngineFixture(o => o with { MaxInListItems = 1_000 });
            var e = await small.FailsAsync($"SELECT 1 IN ({string.Join(", ", Enumerable.Range(0, 1_001))})");
            Assert.Equal(SqlState.ProgramLimitExceeded, e.SqlState);
            Assert.Contains("IN list", e.Message);
            Assert.Equal(true, (await small.QueryAsync($"SELECT 1 IN ({string.Join(", ", Enumerable.Range(0, 1_000))})"))[0][0]);
        }
        finally
        {
            Limits.ValueSizeLimits.MaxInListItems = new EngineOptions { DataDirectory = "" }.MaxInListItems;
        }
    }

    [Theory]
    [InlineData("SELECT REPEAT('x', 5000)")]
    [InlineData("SELECT CONCAT(REPEAT('x', 3000), REPEAT('y', 3000))")]
    [InlineData("SELECT REPEAT('x', 3000) || REPEAT('y', 3000)")]
    [InlineData("SELECT CONCAT_WS(',', REPEAT('x', 3000), REPEAT('y', 3000))")]
    [InlineData("SELECT ARRAY_JOIN(ARRAY[REPEAT('x', 3000), REPEAT('y', 3000)], '')")]
    [InlineData("SELECT LPAD('', 4097, 'ab')")]
    public async Task Max_value_bytes_is_a_setting(string sql)
    {
        try
        {
            await using var small = new EngineFixture(o => o with { MaxValueBytes = 4096 });
            var e = await small.FailsAsync(sql);
            Assert.Equal(SqlState.ProgramLimitExceeded, e.SqlState);
            Assert.Equal(4096, (await small.QueryAsync("SELECT LENGTH(REPEAT('x', 4096))"))[0][0]);
        }
        finally
        {
            Limits.ValueSizeLimits.MaxValueBytes = Limits.ValueSizeLimits.DefaultMaxValueBytes;
        }
    }
}
