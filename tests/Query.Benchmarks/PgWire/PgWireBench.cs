
namespace Query.Benchmarks;

/// <summary>
/// <c>bench pgwire-select1 [seconds]</c>: SELECT 1 round trips per second on one Npgsql connection against a
/// minimal session (the wire layer alone); <c>bench pgwire-datarow [rows]</c>: DataRow bytes and rows per second.
/// </summary>
internal static partial class BenchRegistry
{
    static partial void RegisterPgWire()
    {
        BenchCommands.Register("pgwire-select1", args => PgWire.Select1Bench.Run(args));
        BenchCommands.Register("pgwire-datarow", args => PgWire.DataRowBench.Run(args));
    }
}
