using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Query.Engine.Errors;
using Query.Engine.Tiering;
using Query.Testing;
using Query.Tiering;

namespace Query.Engine.Tests;

/// <summary>
/// The SQL surface of tiered storage: TIERED / LOCAL_RETENTION_* / RETENTION_* in WITH and ALTER STREAM SET,
/// ARCHIVE STREAM, SHOW ARCHIVALS, DESCRIBE EXTENDED's hot and cold extents, EXPLAIN's cold files, and the
/// background job's pass (hot limits, total retention of cold files).
/// </summary>
public sealed class TieringStatementTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("engine-tiering-sql");
    private QueryEngine _engine = null!;
    private EngineSession _session = null!;

    public Task InitializeAsync()
    {
        Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        _directory.Dispose();
    }

    private void Open(TieringDefaults? defaults = null)
    {
        _engine = QueryEngine.Open(new EngineOptions
        {
            DataDirectory = Path.Combine(_directory.Path, "data"),
            ColdStore = new ColdStore(Path.Combine(_directory.Path, "cold")),
            Tiering = defaults ?? new TieringDefaults(),
        });
        _session = _engine.CreateSession();
    }

    [Fact]
    public async Task Tiering_properties_are_set_altered_checked_and_survive_a_restart()
    {
        await ExecAsync("CREATE STREAM t (id BIGINT) WITH (TIERED = TRUE, LOCAL_RETENTION_MS = 60000, "
            + "RETENTION_MS = 600000)");
        Assert.Contains("tiered true local_retention_ms 60000 local_retention_bytes -1 retention_ms 600000",
            await TieringRowAsync("t"));
        await ExecAsync("ALTER STREAM t SET (LOCAL_RETENTION_BYTES = 4096, RETENTION_BYTES = 1000000)");
        await ExecAsync("CREATE STREAM u (id BIGINT)");

        await _engine.DisposeAsync();
        Open(new TieringDefaults { Enabled = false, LocalRetentionMs = 5000 });
        Assert.Contains("tiered true local_retention_ms 60000 local_retention_bytes 4096 retention_ms 600000 "
            + "retention_bytes 1000000", await TieringRowAsync("t"));
        Assert.Contains("tiered false local_retention_ms 5000 local_retention_bytes -1", await TieringRowAsync("u"));

        await AssertErrorAsync(SqlState.FeatureNotSupported, "ALTER STREAM t SET (PARTITIONS = 3)");
        await AssertErrorAsync(SqlState.FeatureNotSupported, "ALTER STREAM u SET (RETENTION_MS = 1000)");
        await AssertErrorAsync(SqlState.InvalidParameterValue, "ALTER STREAM t SET (LOCAL_RETENTION_MS = 700000)");
        await AssertErrorAsync(SqlState.InvalidParameterValue,
            "CREATE STREAM v (id INT) WITH (LOCAL_RETENTION_MS = 10, RETENTION_MS = 5)");
        await AssertErrorAsync(SqlState.InvalidParameterValue, "CREATE STREAM v (id INT) WITH (TIERED = 'maybe')");
        await AssertErrorAsync(SqlState.UndefinedTable, "ALTER STREAM nope SET (TIERED = TRUE)");
        await AssertErrorAsync(SqlState.UndefinedTable, "ARCHIVE STREAM nope");

        // Turning tiering on for u through ALTER makes RETENTION_MS changeable.
        await ExecAsync("ALTER STREAM u SET (TIERED = TRUE, RETENTION_MS = 86400000)");
        Assert.Contains("tiered true", await TieringRowAsync("u"));
    }

    [Fact]
    public async Task Archive_stream_moves_every_sealed_segment_and_is_listed_described_and_explained()
    {
        await ExecAsync("CREATE STREAM ev (id BIGINT, note STRING) WITH (PARTITIONS = 2, SEGMENT_BYTES = 4096)");
        for (var batch = 0; batch < 8; batch++)
            await ExecAsync(Insert("ev", batch * 50, 50, daysAgo: 3));
        var before = await QueryAsync("SELECT count(*), sum(id), min(ROWOFFSET), max(ROWOFFSET) FROM ev");

        var archived = await QueryAsync("ARCHIVE STREAM ev");
        var row = Assert.Single(archived);
        Assert.Equal("ev", row[0]);
        Assert.True((long)row[1]! >= 4, $"segments {row[1]}");
        Assert.True((long)row[2]! > 200 && (long)row[3]! > 0 && (long)row[4]! > 0, string.Join(",", row));
        Assert.Equal(before, await QueryAsync("SELECT count(*), sum(id), min(ROWOFFSET), max(ROWOFFSET) FROM ev"));

        var runs = await QueryAsync("SHOW ARCHIVALS");
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(["ev", "statement", "done", 0L], [r[0], r[2], r[3], r[5]]));
        Assert.Equal((long)row[2]!, runs.Sum(r => (long)r[8]!));

        var describe = await QueryAsync("DESCRIBE EXTENDED ev");
        var tiers = describe.Where(r => (string?)r[1] == "TIERS").Select(r => (string)r[2]!).ToList();
        Assert.Equal(2, tiers.Count);
        Assert.All(tiers, t => Assert.Matches(@"^hot offsets \[\d+, \d+\) bytes \d+ segments \d+.*; cold offsets "
            + @"\[0, \d+\) bytes \d+ files \d+ rowtime \[", t));

        var plan = string.Join("\n", (await QueryAsync("EXPLAIN SELECT * FROM ev WHERE ROWPARTITION = 0 AND "
            + "ROWOFFSET >= 60")).Select(r => (string)r[0]!));
        Assert.True(plan.Contains("file date=", StringComparison.Ordinal), plan);
        Assert.Matches(@"cold files: [1-9]\d* to read, [1-9]\d* pruned by offset, 0 pruned by rowtime", plan);
        Assert.Contains("2 partitions, 1 to read", plan);

        // Nothing sealed is left: a second run moves nothing.
        Assert.Equal(0L, Assert.Single(await QueryAsync("ARCHIVE STREAM ev"))[1]);
    }

    [Fact]
    public async Task The_job_archives_only_tiered_streams_past_their_hot_limits_and_expires_old_cold_files()
    {
        await ExecAsync("CREATE STREAM hot (id BIGINT, note STRING) WITH (SEGMENT_BYTES = 4096)");
        await ExecAsync("CREATE STREAM bysize (id BIGINT, note STRING) WITH (SEGMENT_BYTES = 4096, TIERED = TRUE, "
            + "LOCAL_RETENTION_MS = -1, LOCAL_RETENTION_BYTES = 8192)");
        await ExecAsync("CREATE STREAM byage (id BIGINT, note STRING) WITH (SEGMENT_BYTES = 4096, TIERED = TRUE, "
            + "LOCAL_RETENTION_MS = 86400000, RETENTION_MS = 432000000)");
        foreach (var stream in new[] { "hot", "bysize", "byage" })
        {
            for (var batch = 0; batch < 6; batch++)
                await ExecAsync(Insert(stream, batch * 50, 50, daysAgo: batch < 3 ? 10 : 2));
        }
        var pass = await _engine.RunArchivalPassAsync();
        Assert.Equal(2, pass.Streams);
        Assert.Equal(0, pass.Failures);
        Assert.True(pass.FilesExpired > 0, "rows 10 days old are past RETENTION_MS of 5 days");

        var hot = await DescribeTiersAsync("hot");
        Assert.Contains("cold empty", hot);
        var bySize = await DescribeTiersAsync("bysize");
        var hotBytes = long.Parse(System.Text.RegularExpressions.Regex.Match(bySize, @"^hot .* bytes (\d+)").Groups[1]
            .Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(hotBytes <= 8192 + 4096, bySize);
        Assert.Contains("cold offsets [0, ", bySize);
        Assert.Equal(300L, (await QueryAsync("SELECT count(*) FROM bysize"))[0][0]);

        // byage: every sealed segment was older than a day, so archived; the 10-day-old files then expired.
        var byAge = await DescribeTiersAsync("byage");
        Assert.DoesNotContain("cold offsets [0, ", byAge);
        var left = (long)(await QueryAsync("SELECT count(*) FROM byage"))[0][0]!;
        Assert.InRange(left, 150, 299);
        Assert.Equal(0L, (await QueryAsync("SELECT count(*) FROM byage WHERE id < 100"))[0][0]);
        var runs = await QueryAsync("SHOW ARCHIVALS");
        Assert.All(runs, r => Assert.Equal("job", r[2]));
        Assert.Contains(runs, r => (string)r[0]! == "byage" && (long)r[10]! > 0);
    }

    [Fact]
    public async Task Compact_stream_and_the_job_merge_small_cold_files_and_every_row_reads_the_same()
    {
        await _engine.DisposeAsync();
        Open(new TieringDefaults
        {
            Compaction = new Query.Tiering.Compaction.CompactionOptions
            {
                TargetFileBytes = 1 << 20,
                MinFilesToMerge = 2,
            },
        });
        await ExecAsync("CREATE STREAM ev (id BIGINT, note STRING) WITH (PARTITIONS = 2, SEGMENT_BYTES = 4096)");
        await ExecAsync("CREATE STREAM jb (id BIGINT, note STRING) WITH (PARTITIONS = 2, SEGMENT_BYTES = 4096, "
            + "TIERED = TRUE, LOCAL_RETENTION_MS = 86400000)");
        foreach (var stream in new[] { "ev", "jb" })
        {
            for (var batch = 0; batch < 16; batch++)
                await ExecAsync(Insert(stream, batch * 50, 50, daysAgo: batch < 8 ? 3 : 2));
        }
        const string Summary = "SELECT count(*), sum(id), min(ROWOFFSET), max(ROWOFFSET), max(note) FROM ";
        var before = await QueryAsync(Summary + "ev");
        await ExecAsync("ARCHIVE STREAM ev");
        var filesBefore = await ColdFilesAsync("ev");
        Assert.True(filesBefore >= 6, $"{filesBefore} cold files");

        var compacted = Assert.Single(await QueryAsync("COMPACT STREAM ev"));

        // One file per partition and date folder (the rows are three and two days old).
        var filesAfter = await ColdFilesAsync("ev");
        Assert.Equal(4, filesAfter);
        Assert.Equal(["ev", (long)filesBefore, 4L], compacted[..3]);
        Assert.InRange((long)compacted[3]!, 400, (long)before[0][0]!);
        Assert.Equal(before, await QueryAsync(Summary + "ev"));
        var runs = (await QueryAsync("SHOW ARCHIVALS")).Where(r => (string?)r[14] == "compaction").ToList();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(["ev", "statement", "done"], [r[0], r[2], r[3]]));
        Assert.Equal(filesBefore, runs.Sum(r => (long)r[4]!));

        // The job: archives jb (older than a day), then merges the runs of the three-day-old folder, which can no
        // longer grow; the two-day-old files at the end of each partition's tier wait for more.
        var jbBefore = await QueryAsync(Summary + "jb");
        var pass = await _engine.RunArchivalPassAsync();
        Assert.Equal(0, pass.Failures);
        Assert.Equal(jbBefore, await QueryAsync(Summary + "jb"));
        var jobRuns = (await QueryAsync("SHOW ARCHIVALS")).Where(r => (string?)r[0] == "jb").ToList();
        Assert.Contains(jobRuns, r => (string?)r[14] == "archival" && (string?)r[2] == "job");
        Assert.Contains(jobRuns, r => (string?)r[14] == "compaction" && (string?)r[2] == "job" && (long)r[4]! >= 2
            && (string?)r[3] == "done");
    }

    [Fact]
    public async Task Explain_lists_the_row_groups_it_will_read_and_counts_those_pruned()
    {
        await _engine.DisposeAsync();
        Open(new TieringDefaults { ColdFiles = new ColdFileOptions { RowGroupMaxRows = 20 } });
        await ExecAsync("CREATE STREAM rg (id BIGINT, note STRING) WITH (PARTITIONS = 1, SEGMENT_BYTES = 4096)");
        for (var batch = 0; batch < 8; batch++)
            await ExecAsync(Insert("rg", batch * 50, 50, daysAgo: 3));
        await ExecAsync("ARCHIVE STREAM rg");
        await ExecAsync("COMPACT STREAM rg");
        Assert.Equal(1, await ColdFilesAsync("rg"));
        var first = (long)(await QueryAsync("SELECT min(ROWTIME) FROM rg"))[0][0]!;

        // Offsets 100-119 are one row group of twenty.
        var byOffset = await ExplainAsync("SELECT * FROM rg WHERE ROWOFFSET >= 100 AND ROWOFFSET < 120");
        Assert.Single(Regex.Matches(byOffset, @"row group \d+ offsets \[100, 120\) rowtime \["));
        Assert.Matches(@"row groups of those files: 1 to read, [1-9]\d* pruned by offset, 0 pruned by rowtime",
            byOffset);

        // The first 30 ms hold rows 0-29 (a millisecond apart): two row groups by their ROWTIME statistics.
        var until = (first + 29).ToString(CultureInfo.InvariantCulture);
        var byTime = await ExplainAsync($"SELECT * FROM rg WHERE ROWTIME <= {until}");
        Assert.Equal(2, Regex.Matches(byTime, @"row group \d+ offsets").Count);
        Assert.Matches(@"row groups of those files: 2 to read, 0 pruned by offset, [1-9]\d* pruned by rowtime",
            byTime);
        Assert.Equal(30L, (await QueryAsync($"SELECT count(*) FROM rg WHERE ROWTIME <= {until}"))[0][0]);
    }

    [Fact]
    public async Task Explain_counts_the_row_groups_that_column_statistics_prune_and_answers_stay_the_same()
    {
        await _engine.DisposeAsync();
        Open(new TieringDefaults { ColdFiles = new ColdFileOptions { RowGroupMaxRows = 20 } });
        await ExecAsync("CREATE STREAM cs (id BIGINT, note STRING, amount DOUBLE) WITH (PARTITIONS = 1, "
            + "SEGMENT_BYTES = 4096)");
        for (var batch = 0; batch < 8; batch++)
            await ExecAsync(Insert("cs", batch * 50, 50, daysAgo: 3).Replace("(id, note,", "(id, amount, note,",
                StringComparison.Ordinal).Replace(", 'note", ", NULL, 'note", StringComparison.Ordinal));
        var queries = new[]
        {
            "SELECT id FROM cs WHERE id >= 100 AND id < 120",
            "SELECT count(*) FROM cs WHERE note = 'note number 333'",
            "SELECT count(*) FROM cs WHERE 250 < id",
            "SELECT count(*) FROM cs WHERE amount > 1",
            "SELECT count(*) FROM cs WHERE id > 390.5 AND note >= 'note number 395'",
        };
        var before = new List<string>();
        foreach (var query in queries)
            before.Add(Render(await QueryAsync(query)));
        await ExecAsync("ARCHIVE STREAM cs");
        await ExecAsync("COMPACT STREAM cs");
        for (var i = 0; i < queries.Length; i++)
            Assert.Equal(before[i], Render(await QueryAsync(queries[i])));

        // id rises with the offset: rows 100-119 are one row group of twenty, the others are pruned.
        var byId = await ExplainAsync(queries[0]);
        Assert.Matches(@"row groups of those files: 1 to read, 0 pruned by offset, 0 pruned by rowtime, "
            + @"[1-9]\d* pruned by column statistics \(id >= 100 AND id < 120\)", byId);
        Assert.Matches(@"row groups of those files: [1-9]\d* to read, 0 pruned by offset, 0 pruned by rowtime, "
            + @"[1-9]\d* pruned by column statistics \(note = 'note number 333'\)", await ExplainAsync(queries[1]));
        // amount is NULL in every row: every row group is pruned by its null count.
        Assert.Matches(@"row groups of those files: 0 to read, .*, [1-9]\d* pruned by column statistics \(amount > 1\)",
            await ExplainAsync(queries[3]));
        Assert.Equal("0", before[3]);
    }

    private static string Render(List<object?[]> rows) =>
        string.Join("\n", rows.Select(r => string.Join("|", r.Select(v => Convert.ToString(v,
            CultureInfo.InvariantCulture)))));

    private async Task<string> ExplainAsync(string query) =>
        string.Join("\n", (await QueryAsync("EXPLAIN " + query)).Select(r => (string)r[0]!));

    private async Task<long> ColdFilesAsync(string stream)
    {
        long files = 0;
        foreach (var row in await QueryAsync($"DESCRIBE EXTENDED {stream}"))
        {
            if ((string?)row[1] == "TIERS")
                files += long.Parse(System.Text.RegularExpressions.Regex.Match((string)row[2]!, @" files (\d+)")
                    .Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        return files;
    }

    private async Task<string> TieringRowAsync(string stream) =>
        (string)(await QueryAsync($"DESCRIBE EXTENDED {stream}")).Single(r => (string?)r[1] == "TIERING")[2]!;

    private async Task<string> DescribeTiersAsync(string stream) =>
        (string)(await QueryAsync($"DESCRIBE EXTENDED {stream}")).Single(r => (string?)r[1] == "TIERS")[2]!;

    private async Task AssertErrorAsync(string sqlState, string sql)
    {
        var error = await Assert.ThrowsAsync<SqlException>(() => ExecAsync(sql));
        Assert.Equal(sqlState, error.SqlState);
    }

    private async Task ExecAsync(string sql)
    {
        await using var result = await _session.ExecuteAsync(sql);
        if (result.Rows is not null)
        {
            while (await result.Rows.ReadAsync())
            {
            }
        }
    }

    private async Task<List<object?[]>> QueryAsync(string sql)
    {
        await using var result = await _session.ExecuteAsync(sql);
        return await EngineFixture.ReadAllAsync(result.Rows!);
    }

    private static string Insert(string stream, int first, int count, int daysAgo)
    {
        var time = DateTimeOffset.UtcNow.AddDays(-daysAgo).ToUnixTimeMilliseconds();
        var sql = new StringBuilder($"INSERT INTO {stream} (id, note, ROWTIME) VALUES ");
        for (var i = first; i < first + count; i++)
            sql.Append(i > first ? ", " : "").Append('(').Append(i).Append(", 'note number ").Append(i)
                .Append("', ").Append(time + i).Append(')');
        return sql.ToString();
    }
}
