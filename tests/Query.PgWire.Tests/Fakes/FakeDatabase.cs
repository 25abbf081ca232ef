using System.Collections.Concurrent;
using System.Threading.Channels;
using Query.PgWire.Types;

namespace Query.PgWire.Tests.Fakes;

/// <summary>A tiny in-memory catalog: tables of boxed rows, and a push hub that fans rows out to subscribers.</summary>
public sealed class FakeDatabase
{
    private readonly ConcurrentDictionary<string, FakeTable> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<Channel<object?[]>, byte> _subscribers = new();

    public FakeDatabase()
    {
        var items = CreateTable("items", "table", [new("id", PgTypeOid.Int8), new("name", PgTypeOid.Text)]);
        items.Rows.Add([1L, "one"]);
        items.Rows.Add([2L, "two"]);
        items.Rows.Add([3L, "three"]);
        CreateTable("ticks", "stream", TickColumns);
    }

    public static PgColumn[] TickColumns { get; } =
        [new("seq", PgTypeOid.Int4), new("symbol", PgTypeOid.Text), new("at", PgTypeOid.TimestampTz)];

    public int SubscriberCount => _subscribers.Count;

    public FakeTable CreateTable(string name, string kind, PgColumn[] columns) =>
        _tables[name] = new FakeTable(name, kind, columns);

    public bool TryGetTable(string name, out FakeTable table) => _tables.TryGetValue(name, out table!);

    public IEnumerable<FakeTable> Tables => _tables.Values;

    /// <summary>Sends a row to every push query running now.</summary>
    public void Publish(object?[] row)
    {
        foreach (var subscriber in _subscribers.Keys)
            subscriber.Writer.TryWrite(row);
    }

    public Channel<object?[]> Subscribe()
    {
        var channel = Channel.CreateBounded<object?[]>(new BoundedChannelOptions(1024)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        _subscribers[channel] = 0;
        return channel;
    }

    public void Unsubscribe(Channel<object?[]> channel) => _subscribers.TryRemove(channel, out _);

    /// <summary>Waits until <paramref name="count"/> push queries are subscribed (so published rows are
    /// seen).</summary>
    public async Task WaitForSubscribersAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (_subscribers.Count < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"only {_subscribers.Count} of {count} push queries subscribed");
            await Task.Delay(5);
        }
    }
}

public sealed class FakeTable
{
    public FakeTable(string name, string kind, PgColumn[] columns)
    {
        Name = name;
        Kind = kind;
        Columns = columns;
    }

    public string Name { get; }
    public string Kind { get; }
    public PgColumn[] Columns { get; }
    public List<object?[]> Rows { get; } = [];

    /// <summary>Whether a COPY into this table may parse on several threads (its sink opens lanes).</summary>
    public bool CopyLanes { get; set; }

    /// <summary>Lanes opened by COPYs into this table (a test checks the parallel path ran).</summary>
    public int LanesOpened;
}
