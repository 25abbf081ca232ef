using System.Globalization;
using System.Text;
using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Tests;

/// <summary>
/// COPY's row path (<see cref="BulkInsert.SetText"/>: the UTF-8 fast parsers and the row encoder of its own) against
/// the general path (<see cref="BulkInsert.AddTextRow"/>: <see cref="ValueCast"/> and BinaryRowFormat) on generated
/// values, edge cases included: both must store the same rows and reject the same texts with the same SQLSTATE.
/// </summary>
public sealed class BulkRowEncodingTests : IAsyncLifetime
{
    private const string Columns = "(k INT KEY, i INT, n BIGINT, f DOUBLE, b BOOLEAN, d DECIMAL(5, 2), "
        + "w DECIMAL(38, 4), dt DATE, tm TIME, ts TIMESTAMP, s STRING, y BYTES, a ARRAY<INT>)";

    private readonly EngineFixture _db = new();

    public async Task InitializeAsync() => await _db.ExecAllAsync(
        $"CREATE STREAM fast {Columns} WITH (PARTITIONS = 3, TIMESTAMP = 'ts')",
        $"CREATE STREAM general {Columns} WITH (PARTITIONS = 3, TIMESTAMP = 'ts')");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Generated_rows_store_the_same_through_both_paths(bool lanes)
    {
        var random = new Random(20261207);
        var rows = new List<string?[]>();
        for (var r = 0; r < 400; r++)
        {
            var row = new string?[13];
            row[0] = r.ToString(CultureInfo.InvariantCulture);
            row[1] = Pick(random, "0", "-1", "2147483647", "-2147483648", random.Next().ToString(Invariant));
            row[2] = Pick(random, "9223372036854775807", "-9223372036854775808", "-42",
                random.NextInt64().ToString(Invariant));
            row[3] = Pick(random, "0.5", "-0", "1e300", "123456789.125", (random.NextDouble() * 1e6).ToString("R",
                Invariant));
            row[4] = Pick(random, "t", "f", "true", "FALSE");
            row[5] = Pick(random, "999.99", "-999.99", "0.005", "12.3", "-0.01");
            row[6] = Pick(random, "1234567890123456789012345678901234.5678", "-0.0001", "7");
            row[7] = Pick(random, "2024-02-29", "1970-01-01", "1900-03-01");
            row[8] = Pick(random, "00:00:00", "23:59:59.999", "12:34:56.5");
            row[9] = Timestamp(random);
            row[10] = Pick(random, "", "plain", "naïve ✓", new string('x', random.Next(0, 300)));
            row[11] = Pick(random, "\\x", "\\x00ff10", "\\xdeadbeef");
            row[12] = Pick(random, "{}", "{1,2,3}", "{-5,NULL,7}");
            for (var c = 1; c < row.Length; c++)
            {
                // ts stays set: a NULL time is the append time, which differs between the two streams.
                if (c != 9 && random.Next(8) == 0)
                    row[c] = null;
            }
            rows.Add(row);
        }
        await using (var fast = _db.Session.BeginBulkInsert("fast"))
        await using (var general = _db.Session.BeginBulkInsert("general"))
        {
            // With lanes (COPY's parallel parsing), the second and third thirds are encoded apart and appended after.
            var second = lanes ? fast.OpenLane() : fast;
            var third = lanes ? fast.OpenLane() : fast;
            for (var r = 0; r < rows.Count; r++)
            {
                var target = r < rows.Count / 3 ? fast : r < 2 * rows.Count / 3 ? second : third;
                target.BeginRow();
                for (var c = 0; c < rows[r].Length; c++)
                {
                    if (rows[r][c] is { } text)
                        target.SetText(c, Encoding.UTF8.GetBytes(text));
                }
                target.EndRow();
                general.AddTextRow(rows[r]);
            }
            if (lanes)
            {
                fast.AppendLane(second);
                fast.AppendLane(third);
                await second.DisposeAsync();
                await third.DisposeAsync();
            }
            Assert.Equal(rows.Count, await fast.CommitAsync());
            Assert.Equal(rows.Count, await general.CommitAsync());
        }
        const string select = "SELECT k, i, n, f, b, d, w, dt, tm, ts, s, y, a, ROWTIME, ROWPARTITION FROM ";
        var stored = await _db.QueryAsync(select + "fast ORDER BY k");
        var expected = await _db.QueryAsync(select + "general ORDER BY k");
        Assert.Equal(rows.Count, stored.Count);
        for (var r = 0; r < rows.Count; r++)
            Assert.Equal(expected[r], stored[r]);
    }

    public static TheoryData<string, string> EdgeTexts()
    {
        var data = new TheoryData<string, string>();
        foreach (var text in new[]
        {
            "2024-02-29 12:00:00", "2023-02-29 12:00:00", "1900-02-29 00:00:00", "2000-02-29 23:59:59",
            "2024-01-01 00:00:00.1", "2024-01-01 00:00:00.12", "2024-01-01 00:00:00.123", "2024-01-01 00:00:00.1234",
            "2024-01-01 00:00:00.12345", "2024-01-01 00:00:00.123456", "2024-01-01 00:00:00.1234567",
            "2024-01-01T08:30:00Z", "2024-01-01 08:30:00+02:00", "2024-01-01 08:30:00.5-05:30", "2024-13-01 00:00:00",
            "2024-01-01 24:00:00", "2024-01-01 00:60:00", "2024-01-01 00:00:00.", "0001-01-01 00:00:00",
            "1969-12-31 23:59:59.999", "2024-01-01", "2024-1-1 00:00:00", "x024-01-01 00:00:00",
        })
        {
            data.Add("TIMESTAMP", text);
        }
        foreach (var text in new[]
        {
            "0", "-0", "+7", "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "123456789012345678", "", "-",
            " 5", "5 ", "1e3", "1.0", "0x10",
        })
        {
            data.Add("INT", text);
            data.Add("BIGINT", text);
        }
        foreach (var text in new[]
        {
            "999.99", "-999.99", "999.994", "999.995", "1000", ".5", "5.", "-0.005", "0.004", "1e2", "12,5", "",
            "99999999999999999999999999999",
        })
        {
            data.Add("DECIMAL(5, 2)", text);
        }
        foreach (var text in new[]
        {
            "1.5", "-0", "0.1", "123456789012345", "1234567890123456", "0.000000000000001", "1e308", "1e309",
            "-1.7976931348623157e308", "NaN", "Infinity", "-inf", ".5", "5.", "+.5", "", "1.2.3", "1_0",
        })
        {
            data.Add("DOUBLE", text);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EdgeTexts))]
    public void The_fast_parser_agrees_with_the_general_one(string typeName, string text)
    {
        var type = SqlTypeParser.Parse(typeName);
        var general = Outcome(() => Cell.FromObject(ValueCast.ParseText(text, type), type));
        var fast = Outcome(() => Utf8ValueParser.ParseCell(Encoding.UTF8.GetBytes(text), type));
        Assert.Equal(general, fast);
    }

    private static string Outcome(Func<Cell> parse)
    {
        try
        {
            var cell = parse();
            return cell.IsNull ? "NULL" : string.Create(Invariant, $"{cell.Bits} {cell.Decimal} {cell.Ref}");
        }
        catch (SqlException e)
        {
            return "error " + e.SqlState;
        }
    }

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];

    /// <summary>A timestamp with 0 to 7 fractional digits, a 'T' or a space, sometimes a 'Z'; leap days included.
    /// </summary>
    private static string Timestamp(Random random)
    {
        var year = Pick(random, "2024", "2000", "1999", "2100", "1970");
        var date = random.Next(4) == 0 && year is "2024" or "2000"
            ? $"{year}-02-29"
            : $"{year}-{random.Next(1, 13):D2}-{random.Next(1, 29):D2}";
        var time = $"{random.Next(24):D2}:{random.Next(60):D2}:{random.Next(60):D2}";
        var digits = random.Next(8);
        var fraction = digits == 0 ? "" : "." + random.NextInt64(0, 10_000_000).ToString("D7", Invariant)[..digits];
        return date + (random.Next(2) == 0 ? " " : "T") + time + fraction + (random.Next(4) == 0 ? "Z" : "");
    }
}
