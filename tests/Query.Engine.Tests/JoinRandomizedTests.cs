namespace Query.Engine.Tests;

/// <summary>
/// Every join type over generated data with duplicate and NULL keys, checked against a nested loop written here;
/// batches of 3 rows make one left row's matches span several output batches.
/// </summary>
public sealed class JoinRandomizedTests : IAsyncLifetime
{
    private readonly EngineFixture _db = new(options => options with { BatchRows = 3 });
    private readonly List<(int Id, int? K, int V)> _left = [];
    private readonly List<(int Id, int? K, int V)> _right = [];

    public async Task InitializeAsync()
    {
        var random = new Random(1234);
        await _db.ExecAllAsync("CREATE STREAM l (id INT KEY, k INT, v INT) WITH (PARTITIONS = 2)",
            "CREATE STREAM r (id INT KEY, k INT, v INT) WITH (PARTITIONS = 3)");
        foreach (var (name, list, count) in new[] { ("l", _left, 60), ("r", _right, 45) })
        {
            for (var i = 0; i < count; i++)
            {
                int? k = random.Next(10) == 0 ? null : random.Next(12);
                list.Add((i, k, random.Next(100)));
            }
            await _db.ExecAsync($"INSERT INTO {name} VALUES " + string.Join(", ",
                list.Select(t => $"({t.Id}, {(t.K is null ? "NULL" : t.K.ToString())}, {t.V})")));
        }
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData("JOIN", true, false, false)]
    [InlineData("LEFT JOIN", true, true, false)]
    [InlineData("RIGHT JOIN", true, false, true)]
    [InlineData("FULL JOIN", true, true, true)]
    [InlineData("JOIN", false, false, false)]
    [InlineData("LEFT JOIN", false, true, false)]
    [InlineData("RIGHT JOIN", false, false, true)]
    [InlineData("FULL JOIN", false, true, true)]
    public async Task Join_equals_a_nested_loop(string join, bool equi, bool keepLeft, bool keepRight)
    {
        // With equi, a hash join on k plus a condition; without, a nested loop on an inequality.
        var on = equi ? "a.k = b.k AND a.v + b.v > 60" : "a.k < b.k AND a.v > b.v";
        bool Matches((int Id, int? K, int V) a, (int Id, int? K, int V) b) => equi
            ? a.K is not null && a.K == b.K && a.V + b.V > 60
            : a.K is not null && b.K is not null && a.K < b.K && a.V > b.V;
        var expected = new List<string>();
        var matchedRight = new HashSet<int>();
        foreach (var a in _left)
        {
            var any = false;
            foreach (var b in _right.Where(b => Matches(a, b)))
            {
                expected.Add($"{a.Id}|{b.Id}");
                matchedRight.Add(b.Id);
                any = true;
            }
            if (!any && keepLeft)
                expected.Add($"{a.Id}|null");
        }
        if (keepRight)
            expected.AddRange(_right.Where(b => !matchedRight.Contains(b.Id)).Select(b => $"null|{b.Id}"));
        var rows = await _db.QueryAsync($"SELECT a.id, b.id FROM l a {join} r b ON {on}");
        Assert.Equal(expected.Order(StringComparer.Ordinal),
            rows.Select(r => $"{r[0] ?? "null"}|{r[1] ?? "null"}").Order(StringComparer.Ordinal));
    }
}
