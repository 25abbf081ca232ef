using System.Threading.Channels;
using Query.PgWire.Types;

namespace Query.PgWire.Tests.Fakes;

/// <summary>A finite result written with typed writes where the fake keeps typed values.</summary>
public sealed class FakeListResult : IPgResult
{
    private readonly List<object?[]> _rows;
    private int _next;

    public FakeListResult(List<object?[]> rows) => _rows = rows;

    public string CommandTag => $"SELECT {_rows.Count}";

    public int WriteRows(PgRowWriter writer, int maxRows)
    {
        int written = 0;
        while (_next < _rows.Count && written < maxRows && !writer.ShouldFlush)
        {
            writer.BeginRow();
            foreach (var value in _rows[_next])
                FakeValues.Write(writer, value);
            writer.EndRow();
            _next++;
            written++;
        }
        return written;
    }

    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_next < _rows.Count);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A push query over the database's hub: never ends unless a LIMIT is reached.</summary>
public sealed class FakePushResult : IPgResult
{
    private readonly FakeDatabase _database;
    private readonly Channel<object?[]> _channel;
    private readonly int _limit;
    private int _sent;

    public FakePushResult(FakeDatabase database, int limit)
    {
        _database = database;
        _limit = limit;
        _channel = database.Subscribe();
    }

    public string CommandTag => $"SELECT {_sent}";

    public int WriteRows(PgRowWriter writer, int maxRows)
    {
        int written = 0;
        while (written < maxRows && (_limit == 0 || _sent < _limit) && _channel.Reader.TryRead(out var row))
        {
            writer.BeginRow();
            writer.WriteInt32((int)row[0]!);
            writer.WriteText((string)row[1]!);
            writer.WriteTimestamp(PgTime.ToUnixMicros((DateTime)row[2]!));
            writer.EndRow();
            _sent++;
            written++;
        }
        return written;
    }

    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (_limit != 0 && _sent >= _limit)
            return false;
        return await _channel.Reader.WaitToReadAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _database.Unsubscribe(_channel);
        return ValueTask.CompletedTask;
    }
}
