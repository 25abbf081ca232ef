using Query.Storage;
using Query.Tiering.Layout;

namespace Query.Tiering.Tests;

/// <summary>Seeded rows for <see cref="TestLayout.AllTypes"/>: every type, NULLs, empty and nested collections.</summary>
internal sealed class RowGenerator(int seed)
{
    public const long BaseTimestampMs = 1_780_000_000_000;     // 2026-05-28
    private readonly Random _random = new(seed);

    public ColdValue[] NextRow(long id)
    {
        var r = _random;
        return
        [
            ColdValue.FromInt64(id),
            Maybe(() => ColdValue.FromRef("name-" + r.Next(1000))),
            Maybe(() => ColdValue.FromInt64(r.Next(-1000, 1000))),
            Maybe(() => ColdValue.FromDecimal(decimal.Round((decimal)(r.NextDouble() * 10000), 2))),
            Maybe(() => ColdValue.FromDouble(r.NextDouble())),
            Maybe(() => ColdValue.FromInt64(r.Next(2))),
            Maybe(() => ColdValue.FromRef(Bytes(r.Next(0, 5)))),
            Maybe(() => ColdValue.FromInt64(BaseTimestampMs + r.Next())),
            Maybe(() => ColdValue.FromInt64(20_000 + r.Next(500))),
            Maybe(() => ColdValue.FromInt64(r.Next(86_400_000))),
            Maybe(() => ColdValue.FromRef(List(r.Next(4), () => Maybe(() => ColdValue.FromInt64(r.Next(100)))))),
            Maybe(() => ColdValue.FromRef(Map(r.Next(3)))),
            Maybe(() => ColdValue.FromRef(new[]
            {
                Maybe(() => ColdValue.FromRef("city" + r.Next(10))), Maybe(() => ColdValue.FromInt64(r.Next(99999))),
            })),
            Maybe(() => ColdValue.FromRef(List(r.Next(3),
                () => Maybe(() => ColdValue.FromRef(List(r.Next(3), () => Maybe(() => ColdValue.FromRef("m"))))))))
        ];
    }

    /// <summary>Appends <paramref name="count"/> records (keys, headers, rising ROWTIME) in batches of 100.</summary>
    public async Task<List<ColdValue[]>> AppendAsync(PartitionLog partition, int count, long firstId = 0,
        long timestampStepMs = 1000)
    {
        var rows = new List<ColdValue[]>(count);
        using var batch = new RecordBatchBuilder();
        for (var i = 0; i < count; i++)
        {
            var id = firstId + i;
            var row = NextRow(id);
            rows.Add(row);
            var value = TestLayout.EncodeRow(TestLayout.AllTypes, row);
            var headers = id % 3 == 0
                ? new[] { new RecordHeader("trace", new byte[] { (byte)id }), new RecordHeader("trace", Array.Empty<byte>()) }
                : [];
            var key = BitConverter.GetBytes(id);
            batch.Add(BaseTimestampMs + (id * timestampStepMs), key, id % 5 != 0, value, headers);
            if (batch.Count == 100 || i == count - 1)
            {
                await partition.AppendAsync(batch);
                batch.Clear();
            }
        }
        return rows;
    }

    private ColdValue Maybe(Func<ColdValue> make) => _random.Next(8) == 0 ? ColdValue.Null : make();

    private byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static ColdValue[] List(int count, Func<ColdValue> make)
    {
        var items = new ColdValue[count];
        for (var i = 0; i < count; i++)
            items[i] = make();
        return items;
    }

    private KeyValuePair<ColdValue, ColdValue>[] Map(int count)
    {
        var entries = new KeyValuePair<ColdValue, ColdValue>[count];
        for (var i = 0; i < count; i++)
            entries[i] = new(ColdValue.FromRef("k" + i), Maybe(() => ColdValue.FromDouble(_random.NextDouble())));
        return entries;
    }
}
