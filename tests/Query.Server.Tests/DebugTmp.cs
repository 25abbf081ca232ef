using System.Diagnostics;
using System.Text;
using Query.Engine;
using Query.Testing;
using Xunit.Abstractions;
namespace Query.Server.Tests;
public sealed class DebugTmp(ITestOutputHelper output)
{
    [Fact]
    public async Task Time_insert()
    {
        var sql = new StringBuilder("INSERT INTO ev (ts, user_id, page, amount) VALUES ");
        for (var i = 0; i < 1000; i++)
            sql.Append(i == 0 ? "(" : ", (").Append($"TIMESTAMP '2024-01-01 00:00:{i % 60:D2}.123', {i}, '/shop/category-01/subcategory-3/product-0042/details', {i}.5)");
        var text = sql.ToString();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++) Query.Grammar.SqlParser.Parse(text);
        output.WriteLine($"parse: {sw.Elapsed.TotalMilliseconds / 5} ms");
        using var dir = new TempDirectory();
        await using var engine = QueryEngine.Open(new EngineOptions { DataDirectory = dir.Path });
        var s = engine.CreateSession();
        await s.ExecuteAsync("CREATE STREAM ev (ts TIMESTAMP, user_id INT, page STRING, amount DOUBLE)");
        await s.ExecuteAsync(text);
        sw.Restart();
        for (var i = 0; i < 5; i++) await s.ExecuteAsync(text);
        output.WriteLine($"execute: {sw.Elapsed.TotalMilliseconds / 5} ms");
        var p = s.Prepare(text);
        sw.Restart();
        for (var i = 0; i < 5; i++) s.Prepare(text);
        output.WriteLine($"prepare: {sw.Elapsed.TotalMilliseconds / 5} ms");
    }
}
