using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Query.Testing;

namespace Query.Server.Tests;

/// <summary>
/// A minimal byte-level client for what drivers will not send: a parameter with a chosen type OID in a chosen
/// format, garbled or oversized messages.
/// </summary>
internal sealed class RawProtocolClient : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private NetworkStream _stream = null!;

    public NetworkStream Stream => _stream;

    public static async Task<RawProtocolClient> ConnectAsync(int port, bool startup = true)
    {
        var client = new RawProtocolClient();
        await client._tcp.ConnectAsync("127.0.0.1", port);
        client._stream = client._tcp.GetStream();
        if (startup)
        {
            byte[] body = [0, 3, 0, 0, .. "user\0query\0database\0query\0\0"u8];
            await client.SendRawAsync([.. Int32(body.Length + 4), .. body]);
            await client.ReadUntilReadyAsync();
        }
        return client;
    }

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public Task SendAsync(char type, params byte[][] parts)
    {
        byte[] body = [.. parts.SelectMany(p => p)];
        return SendRawAsync([(byte)type, .. Int32(body.Length + 4), .. body]);
    }

    /// <summary>
    /// Parse (declaring <paramref name="oid"/> for $1), Bind (the value in the given format), Execute, Sync.
    /// Returns the first column of the first row as text, or the error's SQLSTATE.
    /// </summary>
    public async Task<(string? Value, string? SqlState)> QueryWithParameterAsync(string sql, int oid, byte[]? value,
        bool binary)
    {
        await SendAsync('P', CString(""), CString(sql), Int16(1), Int32(oid));
        byte[] parameter = value is null ? Int32(-1) : [.. Int32(value.Length), .. value];
        await SendAsync('B', CString(""), CString(""), Int16(1), Int16((short)(binary ? 1 : 0)), Int16(1),
            parameter, Int16(0));
        await SendAsync('E', CString(""), Int32(0));
        await SendAsync('S');
        return await ReadResultAsync();
    }

    /// <summary>Reads to ReadyForQuery: the first DataRow's first value (text) or the first error's SQLSTATE.</summary>
    public async Task<(string? Value, string? SqlState)> ReadResultAsync()
    {
        string? value = null, state = null;
        bool rowSeen = false;
        while (true)
        {
            var (type, body) = await ReadAsync() ?? throw new IOException("connection closed");
            if (type == 'D' && !rowSeen)
            {
                rowSeen = true;
                int length = BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(2));
                value = length < 0 ? null : Encoding.UTF8.GetString(body, 6, length);
            }
            else if (type == 'E')
            {
                state ??= ErrorField(body, 'C');
            }
            else if (type == 'Z')
            {
                return (value, state);
            }
        }
    }

    public async Task ReadUntilReadyAsync()
    {
        while ((await ReadAsync() ?? throw new IOException("connection closed")).Type != 'Z')
        {
        }
    }

    public async Task<(char Type, byte[] Body)?> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? ClientTimeouts.Deadline);
        var header = new byte[5];
        if (!await ReadExactlyAsync(header, cts.Token))
            return null;
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4];
        if (!await ReadExactlyAsync(body, cts.Token))
            return null;
        return ((char)header[0], body);
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken ct)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, ct);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    public static string? ErrorField(byte[] body, char code)
    {
        for (int at = 0; at < body.Length && body[at] != 0;)
        {
            int end = Array.IndexOf(body, (byte)0, at + 1);
            if (body[at] == code)
                return Encoding.UTF8.GetString(body, at + 1, end - at - 1);
            at = end + 1;
        }
        return null;
    }

    public static byte[] CString(string s) => [.. Encoding.UTF8.GetBytes(s), 0];

    public static byte[] Int32(int value)
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

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
