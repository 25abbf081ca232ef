namespace Query.Benchmarks;

/// <summary>
/// Bench commands that are long-running scenarios rather than micro-benchmarks (throughput over a
/// 10-million-record log, latency under load). Each registers a name here and prints a Markdown table.
/// </summary>
public static class BenchCommands
{
    private static readonly Dictionary<string, Func<string[], int>> Commands = new(StringComparer.OrdinalIgnoreCase);

    public static void Register(string name, Func<string[], int> command) => Commands[name] = command;

    public static int Run(string[] args)
    {
        BenchRegistry.RegisterAll();
        if (args.Length == 0 || !Commands.TryGetValue(args[0], out var command))
        {
            Console.Error.WriteLine($"usage: bench <{string.Join("|", Commands.Keys.Order())}> [options]");
            return 2;
        }
        return command(args.AsSpan(1).ToArray());
    }
}
