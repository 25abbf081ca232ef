using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Query.Server.Tests;

/// <summary>Parameters as real drivers send them: Npgsql (binary, typed) and psycopg 3 (Debian python3-psycopg).</summary>
public sealed class ClientParameterTests : IClassFixture<ServerFixture>
{
    private const string Python = "/usr/bin/python3";
    private readonly ServerFixture _server;

    public ClientParameterTests(ServerFixture server) => _server = server;

    public static TheoryData<string, NpgsqlDbType, object, string> NpgsqlValues() => new()
    {
        { "BOOLEAN", NpgsqlDbType.Boolean, true, "True" },
        { "INT", NpgsqlDbType.Smallint, (short)5, "5" },
        { "INT", NpgsqlDbType.Integer, 7, "7" },
        { "BIGINT", NpgsqlDbType.Bigint, 9_000_000_000L, "9000000000" },
        { "DOUBLE", NpgsqlDbType.Real, 1.5f, "1.5" },
        { "DOUBLE", NpgsqlDbType.Double, -2.25, "-2.25" },
        { "DECIMAL(10, 2)", NpgsqlDbType.Numeric, 12.5m, "12.50" },
        { "STRING", NpgsqlDbType.Text, "héllo", "héllo" },
        { "STRING", NpgsqlDbType.Varchar, "v", "v" },
        { "BYTES", NpgsqlDbType.Bytea, new byte[] { 1, 2 }, "System.Byte[]" },
        { "TIMESTAMP", NpgsqlDbType.Timestamp, new DateTime(2024, 1, 2, 3, 4, 5), "2024-01-02T03:04:05" },
        { "TIMESTAMP", NpgsqlDbType.TimestampTz, new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            "2024-01-02T03:04:05" },
        { "DATE", NpgsqlDbType.Date, new DateOnly(2024, 1, 2), "2024-01-02" },
        { "TIME", NpgsqlDbType.Time, new TimeOnly(3, 4, 5), "03:04:05" },
        { "STRING", NpgsqlDbType.Uuid, new Guid("0102030a-0b0c-0d0e-0f10-111213141516"),
            "0102030a-0b0c-0d0e-0f10-111213141516" },
        { "ARRAY<INT>", NpgsqlDbType.Array | NpgsqlDbType.Integer, new[] { 1, 2, 3 }, "1,2,3" },
        { "ARRAY<INT>", NpgsqlDbType.Array | NpgsqlDbType.Smallint, new short[] { 4, 5 }, "4,5" },
        { "ARRAY<BIGINT>", NpgsqlDbType.Array | NpgsqlDbType.Bigint, new long[] { 1, 9_000_000_000 }, "1,9000000000" },
        { "ARRAY<STRING>", NpgsqlDbType.Array | NpgsqlDbType.Text, new[] { "a,b", "\"q\"" }, "a,b,\"q\"" },
        { "ARRAY<DOUBLE>", NpgsqlDbType.Array | NpgsqlDbType.Double, new[] { 0.5 }, "0.5" },
        { "ARRAY<DATE>", NpgsqlDbType.Array | NpgsqlDbType.Date, new[] { new DateOnly(2024, 1, 2) },
            "2024-01-02" },
        { "ARRAY<BOOLEAN>", NpgsqlDbType.Array | NpgsqlDbType.Boolean, new[] { true, false }, "True,False" },
    };

    [Theory]
    [MemberData(nameof(NpgsqlValues))]
    public async Task Npgsql_parameters_of_every_listed_type_are_accepted(string sqlType, NpgsqlDbType dbType,
        object value, string expected)
    {
        await using var conn = await _server.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand($"SELECT CAST($1 AS {sqlType})", conn);
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = dbType, Value = value });
        var result = await cmd.ExecuteScalarAsync();
        var text = result is System.Collections.IEnumerable items and not string and not byte[]? string.Join(",", items.Cast<object?>().Select(Format))
            : Format(result);
        Assert.Equal(expected, text);
    }

    private static string Format(object? value) => value switch
    {
        DateTime t => t.ToString("s", System.Globalization.CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };

    [Fact]
    public async Task Npgsql_array_parameters_insert_into_array_columns()
    {
        await using var conn = await _server.OpenConnectionAsync();
        var name = ServerFixture.UniqueName("arrp");
        await conn.ExecuteAsync($"CREATE STREAM {name} (a ARRAY<INT>, s ARRAY<STRING>)");
        await conn.ExecuteAsync($"INSERT INTO {name} (a, s) VALUES (@a, @s)",
            new { a = new[] { 1, 2, 3 }, s = new[] { "x", null, "z z" } });
        var row = await conn.QuerySingleAsync<(int[] A, string?[] S)>($"SELECT a, s FROM {name}");
        Assert.Equal([1, 2, 3], row.A);
        Assert.Equal(new string?[] { "x", null, "z z" }, row.S.AsEnumerable());
    }

    private const string PsycopgScript = """
        import psycopg, sys
        with psycopg.connect(host='127.0.0.1', port=int(sys.argv[1]), user='query', dbname='query') as conn:
            cur = conn.cursor()
            cur.execute("SELECT %s", (5,))
            print(cur.fetchone()[0])
            cur.execute("SELECT %b", (5,))
            print(cur.fetchone()[0])
            cur.execute("SELECT CAST(%s AS BIGINT) + 1", (70000,))
            print(cur.fetchone()[0])
            cur.execute("SELECT CAST(%s AS DOUBLE), CAST(%s AS STRING), CAST(%s AS BOOLEAN)", (1.5, "it's", True))
            print(cur.fetchone())
            name = sys.argv[2]
            cur.execute(f"CREATE STREAM {name} (a ARRAY<INT>, s ARRAY<STRING>, n BIGINT)")
            cur.execute(f"INSERT INTO {name} (a, s, n) VALUES (%s, %s, %s)", ([1, 2, 3], ["x", None, 'q"'], 2**40))
            cur.execute(f"INSERT INTO {name} (a, s, n) VALUES (%b, %b, %b)", ([4, None], ["y"], -7))
            cur.execute(f"SELECT a, s, n FROM {name} ORDER BY n")
            for row in cur.fetchall():
                print(row)
        print("ok")
        """;

    [Fact]
    public async Task Psycopg3_sends_ints_lists_and_strings_in_text_and_binary()
    {
        Assert.True(File.Exists(Python), "python3-psycopg is required: apt-get install python3-psycopg");
        var (code, output, error) = await ExternalClient.RunAsync(Python,
            ["-c", PsycopgScript, _server.Port.ToString(), ServerFixture.UniqueName("py3")]);
        Assert.True(code == 0, output + error);
        Assert.Equal(
            ["5", "5", "70001", "(1.5, \"it's\", True)", "([4, None], ['y'], -7)",
                "([1, 2, 3], ['x', None, 'q\"'], 1099511627776)", "ok"],
            output.Trim().Split('\n'));
    }
}
