using BenchmarkDotNet.Running;

namespace Query.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project tests/Query.Benchmarks -- --filter '*Append*'</c>
/// runs BenchmarkDotNet suites; <c>-- bench NAME</c> runs a named bench command (see <see cref="BenchCommands"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "bench")
            return BenchCommands.Run(args.AsSpan(1).ToArray());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
