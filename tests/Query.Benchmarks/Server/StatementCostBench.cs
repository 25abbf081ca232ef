using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Query.Server;
using Query.Testing;

namespace Query.Benchmarks.Server;

/// <summary>
/// <c>server-statement-cost [runs] [durability] [only]</c>: what one small statement costs the whole server (wire layer
/// and engine) in this process, through a raw loopback socket whose client does nothing but send pre-encoded messages and
/// wait for ReadyForQuery, so almost every cycle and byte counted is the server's. Per statement: wall time, process
/// CPU and bytes allocated (all threads) for issue 14's shapes: node-postgres's parameterized single-row INSERT
/// (Parse unnamed + Bind with four text parameters + Describe portal + Execute + Sync, the same text every time)
/// into a 4-partition stream of the given DURABILITY (default NONE: the statement path without the fsync),
/// and a simple-query <c>SELECT 1</c> (<c>only</c>: <c>insert</c> or <c>select</c> runs one of them, so that
/// `perf stat -e instructions` over the process counts one statement's work). BENCH_ALLOCATIONS=1 also lists the
/// types allocated.
/// </summary>
internal static class StatementCostBench
{
    public static int Run(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var durability = args.Length > 1 ? args[1] : "NONE";
        var only = args.Length > 2 ? args[2] : "";
        RunAsync(runs, durability, only).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(int runs, string durability, string only)
    {
        using var directory = new TempDirectory("statement-cost");
        await using var server = await QueryServer.StartAsync(new ServerSettings
        {
            DataDirectory = directory.Path,
            Port = 0,
        });
        using var socket = new Socket(System.Net.Sockets.AddressFamily.InterNetwork, SocketType.Stream,
            ProtocolType.Tcp);
        socket.NoDelay = true;
        // A blocking connect: an asynchronous one would make every later receive of this client wait through the
        // runtime's socket thread, whose wake-ups would count as the server's cost.
        socket.Connect(server.EndPoint);
        var client = new RawClient(socket);
        client.Send(Startup());
        client.WaitForReady();
        client.Send(Query("CREATE STREAM inserts (ts TIMESTAMP, user_id INT KEY, page STRING, amount DOUBLE) "
            + $"WITH (PARTITIONS = 4, TIMESTAMP = 'ts', DURABILITY = '{durability}')"));
        client.WaitForReady();
        Console.WriteLine($"{runs:N0} runs per statement after {runs / 2:N0} warm-ups; INSERT durability {durability}");
        Console.WriteLine();
        Console.WriteLine("| statement | wall per run | CPU per run | of which the connection's thread | "
            + "bytes allocated per run |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        if (only is "" or "insert")
            Measure("parameterized single-row INSERT (node-postgres's messages)", runs, client, InsertMessages);
        if (only is "" or "select")
            Measure("SELECT 1, simple query", runs, client, _ => Query("SELECT 1"));
        client.Send([(byte)'X', 0, 0, 0, 4]);
    }

    private static void Measure(string label, int runs, RawClient client, Func<int, byte[]> messages)
    {
        var encoded = new byte[64][];
        for (var i = 0; i < encoded.Length; i++)
            encoded[i] = messages(i);
        for (var i = 0; i < runs / 2; i++)
        {
            client.Send(encoded[i % encoded.Length]);
            client.WaitForReady();
        }
        using var listener = Environment.GetEnvironmentVariable("BENCH_ALLOCATIONS") == "1"
            ? new AllocationTickListener() : null;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var connectionBefore = ConnectionThreadNs();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            client.Send(encoded[i % encoded.Length]);
            client.WaitForReady();
        }
        var wall = stopwatch.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var connection = (ConnectionThreadNs() - connectionBefore) / 1000.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {wall.TotalMicroseconds / runs:F1} us | {cpu.TotalMicroseconds / runs:F1} us | "
            + $"{connection / runs:F1} us | {allocated / runs:N0} |"));
        listener?.Print();
    }

    /// <summary>
    /// CPU time of the server's connection threads (Parse to ReadyForQuery runs there), from the scheduler's
    /// nanosecond count: unlike the process's CPU, it leaves out thread-pool workers spinning while they wait, which
    /// swings with the machine's load.
    /// </summary>
    private static long ConnectionThreadNs()
    {
        long total = 0;
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith("pg connection", StringComparison.Ordinal))
                    continue;
                var schedstat = File.ReadAllText(Path.Combine(task, "schedstat"));
                total += long.Parse(schedstat.AsSpan(0, schedstat.IndexOf(' ')), CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return total;
    }

    /// <summary>What node-postgres 8 writes for <c>client.query(text, values)</c>, in one send.</summary>
    private static byte[] InsertMessages(int n)
    {
        var message = new MessageBuilder();
        message.Begin('P').CString("").CString(
            "INSERT INTO inserts (ts, user_id, page, amount) VALUES ($1, $2, $3, $4)").Int16(0).End();
        string[] values = ["2024-01-02 00:00:00.000", (1_000_000 + n).ToString(CultureInfo.InvariantCulture),
            "/shop/x", (n / 100.0).ToString(CultureInfo.InvariantCulture)];
        message.Begin('B').CString("").CString("").Int16(0).Int16((short)values.Length);
        foreach (var value in values)
            message.Int32(Encoding.UTF8.GetByteCount(value)).Bytes(Encoding.UTF8.GetBytes(value));
        message.Int16(0).End();
        message.Begin('D').Byte((byte)'P').CString("").End();
        message.Begin('E').CString("").Int32(0).End();
        message.Begin('S').End();
        return message.ToArray();
    }

    private static byte[] Query(string sql) => new MessageBuilder().Begin('Q').CString(sql).End().ToArray();

    private static byte[] Startup()
    {
        var body = new MessageBuilder().Int32(196608).CString("user").CString("bench").CString("database")
            .CString("bench").Byte(0).ToArray();
        var message = new byte[body.Length + 4];
        BinaryPrimitives.WriteInt32BigEndian(message, message.Length);
        body.CopyTo(message, 4);
        return message;
    }

    private sealed class MessageBuilder
    {
        private readonly List<byte> _bytes = [];
        private int _start = -1;

        public MessageBuilder Begin(char type)
        {
            _bytes.Add((byte)type);
            _start = _bytes.Count;
            return Int32(0);
        }

        public MessageBuilder End()
        {
            var length = _bytes.Count - _start;
            for (var i = 0; i < 4; i++)
                _bytes[_start + i] = (byte)(length >> (24 - (8 * i)));
            return this;
        }

        public MessageBuilder Byte(byte value)
        {
            _bytes.Add(value);
            return this;
        }

        public MessageBuilder Bytes(byte[] value)
        {
            _bytes.AddRange(value);
            return this;
        }

        public MessageBuilder CString(string value) => Bytes(Encoding.UTF8.GetBytes(value)).Byte(0);

        public MessageBuilder Int16(short value) => Byte((byte)(value >> 8)).Byte((byte)value);

        public MessageBuilder Int32(int value) =>
            Byte((byte)(value >> 24)).Byte((byte)(value >> 16)).Byte((byte)(value >> 8)).Byte((byte)value);

        public byte[] ToArray() => [.. _bytes];
    }

    /// <summary>Blocking client: sends bytes, reads whole messages until ReadyForQuery; an ErrorResponse throws.
    /// </summary>
    private sealed class RawClient(Socket socket)
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _start;
        private int _end;

        public void Send(byte[] bytes)
        {
            for (var sent = 0; sent < bytes.Length;)
                sent += socket.Send(bytes, sent, bytes.Length - sent, SocketFlags.None);
        }

        public void WaitForReady()
        {
            while (true)
            {
                while (_end - _start >= 5)
                {
                    var type = (char)_buffer[_start];
                    var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start + 1));
                    if (_end - _start < length + 1)
                        break;
                    if (type == 'E')
                        throw new InvalidOperationException("server error: "
                            + Encoding.UTF8.GetString(_buffer, _start + 5, length - 4));
                    _start += length + 1;
                    if (type == 'Z')
                        return;
                }
                if (_start > 0)
                {
                    Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                var read = socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
                if (read == 0)
                    throw new InvalidOperationException("server closed the connection");
                _end += read;
            }
        }
    }
}
