using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Query.Testing;

namespace Query.PgWire.Tests;

/// <summary>A byte-level protocol client for tests that real drivers cannot express (row limits, garbage).</summary>
public sealed class RawPgClient : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private NetworkStream _stream = null!;

    public static async Task<RawPgClient> ConnectAsync(int port, bool startup = true)
    {
        var client = new RawPgClient();
        await client._tcp.ConnectAsync("127.0.0.1", port);
        client._stream = client._tcp.GetStream();
        if (startup)
        {
            await client.SendStartupAsync("tester", "db");
            await client.ReadUntilAsync('Z');
        }
        return client;
    }

    public NetworkStream Stream => _stream;

    public async Task SendStartupAsync(string user, string database, params string[] extra)
    {
        var body = new List<byte>();
        body.AddRange(BigEndian(196608));
        foreach (var s in new[] { "user", user, "database", database }.Concat(extra))
            body.AddRange(CString(s));
        body.Add(0);
        await SendRawAsync([.. BigEndian(body.Count + 4), .. body]);
    }

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public Task SendAsync(char type, params byte[][] parts)
    {
        var body = parts.SelectMany(p => p).ToArray();
        return SendRawAsync([(byte)type, .. BigEndian(body.Length + 4), .. body]);
    }

    public static byte[] CString(string s) => [.. Encoding.UTF8.GetBytes(s), 0];

    public static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] Int16(short value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>Reads one backend message; null at end of stream.</summary>
    public async Task<(char Type, byte[] Body)?> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? ClientTimeouts.Deadline);
        var header = new byte[5];
        if (!await ReadExactlyAsync(header, cts.Token))
            return null;
        int length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        var body = new byte[length - 4];
        if (!await ReadExactlyAsync(body, cts.Token))
            return null;
        return ((char)header[0], body);
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken ct)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await _stream.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0)
                return false;
            read += n;
        }
        return true;
    }

    /// <summary>Reads messages until one of <paramref name="type"/>; returns the type letters seen (in
    /// order).</summary>
    public async Task<string> ReadUntilAsync(char type)
    {
        var seen = new StringBuilder();
        while (true)
        {
            var message = await ReadAsync() ?? throw new IOException($"connection closed; saw '{seen}'");
            seen.Append(message.Type);
            if (message.Type == type)
                return seen.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        await Task.CompletedTask;
    }
}
