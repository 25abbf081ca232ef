namespace Query.Server.Tests;

/// <summary>
/// Grafana's PostgreSQL data source: its config-page and query-builder queries and a time-series panel query with
/// <c>$__timeGroupAlias</c> / <c>$__timeFilter</c> expanded as Grafana's macro engine expands them, sent over the
/// simple protocol as lib/pq sends them (by psycopg2, which does the same).
/// </summary>
public sealed class GrafanaTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public GrafanaTests(ServerFixture server) => _server = server;

    private Task RunAsync(string part) => ClientScript.PythonAsync(_server, "grafana_client.py", "gf", part);

    [Fact]
    public Task Config_page_reads_the_version_and_finds_no_timescaledb() => RunAsync("config");

    [Fact]
    public Task Query_builder_lists_tables_and_the_columns_of_one() => RunAsync("builder");

    [Fact]
    public Task Time_group_panel_query_buckets_by_minute_within_the_time_filter() => RunAsync("panel");
}
