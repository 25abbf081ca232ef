using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Query.Storage;
using Query.Testing;

namespace Query.Benchmarks;

/// <summary>
/// Allocation per record on the append and read paths (MemoryDiagnoser; results are per record through
/// OperationsPerInvoke). Durability none so the figure is the code path, not the disk.
/// <c>dotnet run -c Release --project tests/Query.Benchmarks -- --filter '*StorageAllocation*'</c>
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class StorageAllocationBenchmarks
{
    /// <summary>In-process (no rebuild) and short: the machine is shared, and allocation needs few
    /// iterations.</summary>
    private sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5));
    }

    private const int ReadRecords = 100_000;
    private readonly byte[] _value = new byte[100];
    private TempDirectory _directory = null!;
    private LogStore _store = null!;
    private PartitionLog _appendLog = null!;
    private PartitionLog _readLog = null!;
    private RecordBatchBuilder _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = new TempDirectory("storage-alloc");
        _store = LogStore.Open(_directory.Path);
        var options = new LogOptions { Durability = DurabilityMode.None };
        _appendLog = _store.CreateLog("append", options).GetPartition(0);
        _readLog = _store.CreateLog("read", options).GetPartition(0);
        _batch = new RecordBatchBuilder(1 << 20);
        AppendAsync(_readLog, ReadRecords / 1000, 1000).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _batch.Dispose();
        _store.Dispose();
        _directory.Dispose();
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public void Append_single_record() => AppendAsync(_appendLog, 1000, 1).GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = 100 * 100)]
    public void Append_batch_of_100() => AppendAsync(_appendLog, 100, 100).GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = ReadRecords)]
    public long Read_with_crc()
    {
        using var reader = _readLog.OpenReader(0);
        long sum = 0;
        while (reader.TryRead(out var record))
            sum += record.Value[0] + record.Offset;
        return sum;
    }

    private async Task AppendAsync(PartitionLog partition, int batches, int batchSize)
    {
        for (var b = 0; b < batches; b++)
        {
            _batch.Clear();
            for (var i = 0; i < batchSize; i++)
                _batch.Add(1_700_000_000_000, _value);
            await partition.AppendAsync(_batch);
        }
    }
}
