using Npgsql;

namespace Query.PgWire.Tests;

/// <summary>Push queries: rows arrive while the query runs, cancel ends them with 57014, cursors wait for
/// rows.</summary>
public sealed class StreamingTests : IClassFixture<PgServerFixture>
{
    private readonly PgServerFixture _server;

    public StreamingTests(PgServerFixture server) => _server = server;

    private static object?[] Tick(int seq) => [seq, "S" + seq, new DateTime(2024, 1, 1, 0, 0, seq % 60,
        DateTimeKind.Utc)];

    /// <summary>Keeps publishing until disposed, so a subscriber that joins late still sees rows.</summary>
    private Publisher PublishContinuously(int startSeq, TimeSpan interval) => new(_server, startSeq, interval);

    private sealed class Publisher : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public Publisher(PgServerFixture server, int startSeq, TimeSpan interval) => _loop = Task.Run(async () =>
        {
            for (int seq = startSeq; !_stop.IsCancellationRequested; seq++)
            {
                server.Database.Publish(Tick(seq));
                await Task.Delay(interval);
            }
        });

        public void Cancel() => _stop.Cancel();

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait();
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task Push_query_rows_are_read_as_they_are_published()
    {
        await using var conn = await _server.OpenAsync(";Command Timeout=0");
        await using var cmd = new NpgsqlCommand("SELECT * FROM ticks EMIT CHANGES LIMIT 3", conn);
        var subscribers = _server.Database.SubscriberCount;
        var readerTask = cmd.ExecuteReaderAsync();
        await _server.Database.WaitForSubscribersAsync(subscribers + 1);
        _server.Database.Publish(Tick(1));
        await using var reader = await readerTask;
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1, reader.GetInt32(0));
        var second = reader.ReadAsync();
        await Task.Delay(100);
        Assert.False(second.IsCompleted);   // nothing published yet: the read waits on the live stream
        _server.Database.Publish(Tick(2));
        Assert.True(await second);
        Assert.Equal("S2", reader.GetString(1));
        _server.Database.Publish(Tick(3));
        Assert.True(await reader.ReadAsync());
        Assert.Equal(new DateTime(2024, 1, 1, 0, 0, 3, DateTimeKind.Utc), reader.GetDateTime(2));
        Assert.False(await reader.ReadAsync());   // LIMIT reached: CommandComplete
    }

    [Fact]
    public async Task Cancel_stops_a_push_query_with_57014_and_keeps_the_connection()
    {
        await using var conn = await _server.OpenAsync(";Command Timeout=0");
        using var publishing = PublishContinuously(100, TimeSpan.FromMilliseconds(5));
        await using (var cmd = new NpgsqlCommand("SELECT * FROM ticks EMIT CHANGES", conn))
        {
            using var cts = new CancellationTokenSource();
            await using var reader = await cmd.ExecuteReaderAsync(cts.Token);
            Assert.True(await reader.ReadAsync(cts.Token));
            cts.Cancel();
            var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                while (await reader.ReadAsync(cts.Token))
                {
                }
            });
            var pg = Assert.IsType<PostgresException>(ex.InnerException);
            Assert.Equal("57014", pg.SqlState);
        }
        publishing.Cancel();
        await using var check = new NpgsqlCommand("SELECT 5", conn);
        Assert.Equal(5, await check.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Vanished_client_ends_its_push_query()
    {
        int before = _server.Database.SubscriberCount;
        var client = await RawPgClient.ConnectAsync(_server.Port);
        await client.SendAsync('Q', RawPgClient.CString("SELECT * FROM ticks EMIT CHANGES"));
        Assert.Equal('T', (await client.ReadAsync())!.Value.Type);
        await _server.Database.WaitForSubscribersAsync(before + 1);
        await client.DisposeAsync();   // no Terminate, no cancel: the socket just goes away
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_server.Database.SubscriberCount > before && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.Equal(before, _server.Database.SubscriberCount);
    }

    [Fact]
    public async Task Execute_with_a_row_limit_suspends_and_resumes_the_portal()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        await client.SendAsync('P', RawPgClient.CString(""), RawPgClient.CString("SELECT * FROM items"),
            RawPgClient.Int16(0));
        await client.SendAsync('B', RawPgClient.CString("c1"), RawPgClient.CString(""), RawPgClient.Int16(0),
            RawPgClient.Int16(0), RawPgClient.Int16(0));
        await client.SendAsync('E', RawPgClient.CString("c1"), RawPgClient.BigEndian(2));
        await client.SendAsync('H');
        Assert.Equal("12DDs", await client.ReadUntilAsync('s'));
        await client.SendAsync('E', RawPgClient.CString("c1"), RawPgClient.BigEndian(2));
        await client.SendAsync('S');
        Assert.Equal("DCZ", await client.ReadUntilAsync('Z'));
    }

    [Fact]
    public async Task Row_limited_execute_of_a_push_query_waits_for_its_rows()
    {
        await using var client = await RawPgClient.ConnectAsync(_server.Port);
        int before = _server.Database.SubscriberCount;
        await client.SendAsync('P', RawPgClient.CString(""), RawPgClient.CString("SELECT * FROM ticks EMIT CHANGES"),
            RawPgClient.Int16(0));
        await client.SendAsync('B', RawPgClient.CString("C_1"), RawPgClient.CString(""), RawPgClient.Int16(0),
            RawPgClient.Int16(0), RawPgClient.Int16(0));
        await client.SendAsync('E', RawPgClient.CString("C_1"), RawPgClient.BigEndian(2));
        await client.SendAsync('H');
        Assert.Equal('1', (await client.ReadAsync())!.Value.Type);
        Assert.Equal('2', (await client.ReadAsync())!.Value.Type);
        await _server.Database.WaitForSubscribersAsync(before + 1);
        _server.Database.Publish(Tick(1));
        Assert.Equal('D', (await client.ReadAsync())!.Value.Type);
        _server.Database.Publish(Tick(2));
        Assert.Equal("Ds", await client.ReadUntilAsync('s'));
        _server.Database.Publish(Tick(3));
        await client.SendAsync('E', RawPgClient.CString("C_1"), RawPgClient.BigEndian(1));
        await client.SendAsync('H');
        Assert.Equal("Ds", await client.ReadUntilAsync('s'));
        await client.SendAsync('C', [(byte)'P'], RawPgClient.CString("C_1"));
        await client.SendAsync('S');
        Assert.Equal("3Z", await client.ReadUntilAsync('Z'));
        Assert.Equal(before, _server.Database.SubscriberCount);
    }

    [Fact]
    public async Task Cursor_fetch_waits_for_n_rows_of_a_push_query()
    {
        await using var conn = await _server.OpenAsync(";Command Timeout=0");
        await using var tx = await conn.BeginTransactionAsync();
        await using (var declare = new NpgsqlCommand("DECLARE c NO SCROLL CURSOR FOR SELECT * FROM ticks EMIT CHANGES",
            conn, tx))
            await declare.ExecuteNonQueryAsync();
        using var publishing = PublishContinuously(1, TimeSpan.FromMilliseconds(20));
        await using (var fetch = new NpgsqlCommand("FETCH FORWARD 3 FROM c", conn, tx))
        {
            await using var reader = await fetch.ExecuteReaderAsync();
            int rows = 0;
            while (await reader.ReadAsync())
                rows++;
            Assert.Equal(3, rows);
        }
        await using (var close = new NpgsqlCommand("CLOSE c", conn, tx))
            await close.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }

    [Fact]
    public async Task Cursor_over_a_table_fetches_in_batches_then_ends()
    {
        await using var conn = await _server.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var declare = new NpgsqlCommand("DECLARE t CURSOR FOR SELECT * FROM items", conn, tx))
            await declare.ExecuteNonQueryAsync();
        var counts = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            await using var fetch = new NpgsqlCommand("FETCH 2 FROM t", conn, tx);
            await using var reader = await fetch.ExecuteReaderAsync();
            int rows = 0;
            while (await reader.ReadAsync())
                rows++;
            counts.Add(rows);
        }
        Assert.Equal([2, 1, 0], counts);
        var missing = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var fetch = new NpgsqlCommand("FETCH 1 FROM nope", conn, tx);
            await fetch.ExecuteNonQueryAsync();
        });
        Assert.Equal("34000", missing.SqlState);
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task Copy_of_a_push_query_streams_rows_as_text()
    {
        await using var conn = await _server.OpenAsync(";Command Timeout=0");
        using var publishing = PublishContinuously(1, TimeSpan.FromMilliseconds(5));
        using var reader = await conn.BeginTextExportAsync("COPY (SELECT * FROM ticks EMIT CHANGES LIMIT 2) TO STDOUT");
        var first = await reader.ReadLineAsync();
        var second = await reader.ReadLineAsync();
        Assert.Matches(@"^\d+\tS\d+\t2024-01-01 00:00:\d\d\+00$", first!);
        Assert.NotNull(second);
        Assert.Null(await reader.ReadLineAsync());
    }
}
