namespace Query.Server.Tests;

/// <summary>
/// DECIMAL of more than 28 digits through the wire with a real driver (Debian python3-psycopg): parameters in text
/// and binary, results in text and binary numeric, and COPY in text and binary, every digit kept.
/// </summary>
public sealed class WideDecimalWireTests : IClassFixture<ServerFixture>
{
    private const string Python = "/usr/bin/python3";
    private readonly ServerFixture _server;

    public WideDecimalWireTests(ServerFixture server) => _server = server;

    private const string Script = """
        import psycopg, sys
        from decimal import Decimal
        big = Decimal('12345678987654321.2345678987654321')
        with psycopg.connect(host='127.0.0.1', port=int(sys.argv[1]), user='query', dbname='query') as conn:
            cur = conn.cursor()
            name = sys.argv[2]
            cur.execute(f"CREATE STREAM {name} (id INT KEY, v DECIMAL(33, 16)) WITH (PARTITIONS = 1)")
            cur.execute(f"INSERT INTO {name} (id, v) VALUES (%s, %s)", (1, big))
            # Decimal('-...') rather than -big: Python's unary minus rounds to its context's 28 digits.
            cur.execute(f"INSERT INTO {name} (id, v) VALUES (%b, %b)", (2, Decimal('-' + str(big))))
            with cur.copy(f"COPY {name} (id, v) FROM STDIN") as copy:
                copy.write_row((3, Decimal('99999999999999999.9999999999999999')))
            with cur.copy(f"COPY {name} (id, v) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int4", "numeric"])
                copy.write_row((4, Decimal('-0.0000000000000001')))
            cur.execute(f"SELECT id, v, v * 2 FROM {name} ORDER BY id")
            for row in cur.fetchall():
                print(row[0], row[1], row[2])
            binary = conn.cursor(binary=True)
            binary.execute(f"SELECT v FROM {name} WHERE id = 1")
            print(binary.fetchone()[0])
            try:
                cur.execute(f"SELECT CAST(v AS DECIMAL(10, 2)) FROM {name} WHERE id = 1")
            except psycopg.Error as e:
                print(e.sqlstate)
        print("ok")
        """;

    [Fact]
    public async Task Psycopg_sends_and_reads_38_digit_decimals_exactly()
    {
        Assert.True(File.Exists(Python), "python3-psycopg is required: apt-get install python3-psycopg");
        var (code, output, error) = await ExternalClient.RunAsync(Python,
            ["-c", Script, _server.Port.ToString(), ServerFixture.UniqueName("wide")]);
        Assert.True(code == 0, output + error);
        Assert.Equal(
            [
                "1 12345678987654321.2345678987654321 24691357975308642.4691357975",
                "2 -12345678987654321.2345678987654321 -24691357975308642.4691357975",
                "3 99999999999999999.9999999999999999 200000000000000000.0000000000",
                "4 -1E-16 0E-10",
                "12345678987654321.2345678987654321",
                "22003",
                "ok",
            ],
            output.Trim().Split('\n'));
    }
}
