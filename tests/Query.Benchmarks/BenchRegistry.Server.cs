using Query.Benchmarks.Server;

namespace Query.Benchmarks;

internal static partial class BenchRegistry
{
    static partial void RegisterServer()
    {
        BenchCommands.Register("wire", WireBench.Run);
        BenchCommands.Register("ingest", IngestBench.Run);
        BenchCommands.Register("copy-parse", CopyParseBench.Run);
        BenchCommands.Register("events-file", EventsFile.Run);
        BenchCommands.Register("table-lookup", TableLookupBench.Run);
        BenchCommands.Register("server-statement-cost", StatementCostBench.Run);
    }
}
