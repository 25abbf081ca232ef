using BenchmarkDotNet.Attributes;
using Query.PgWire.Framing;
using Query.PgWire.Types;

namespace Query.Benchmarks.PgWire;

/// <summary>
/// DataRow encoding throughput: 1000 rows of (int8, text, float8, timestamptz, numeric) per operation, binary
/// (what Npgsql asks for) and text (psql, node-pg). Allocation must be 0 B per operation once warmed up.
/// </summary>
[MemoryDiagnoser]
public class DataRowEncodingBench
{
    private const int Rows = 1000;
    private PgOutputBuffer _output = null!;
    private PgRowWriter _writer = null!;

    [Params(true, false)]
    public bool Binary { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _output = new PgOutputBuffer(256 * 1024);
        _writer = new PgRowWriter(_output);
        _writer.Configure([PgTypeOid.Int8, PgTypeOid.Text, PgTypeOid.Float8, PgTypeOid.TimestampTz, PgTypeOid.Numeric],
            [Binary, Binary, Binary, Binary, Binary]);
    }

    [GlobalCleanup]
    public void Cleanup() => _output.Dispose();

    [Benchmark(OperationsPerInvoke = Rows)]
    public int EncodeRows()
    {
        _output.Clear();
        for (int i = 0; i < Rows; i++)
        {
            _writer.BeginRow();
            _writer.WriteInt64(1_000_000L + i);
            _writer.WriteText("symbol-ABCDEFGH");
            _writer.WriteFloat8(i * 0.25);
            _writer.WriteTimestamp(1_700_000_000_000_000L + i);
            _writer.WriteNumeric(1234.5678m);
            _writer.EndRow();
        }
        return _output.Length;
    }
}
