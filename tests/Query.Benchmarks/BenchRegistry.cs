namespace Query.Benchmarks;

/// <summary>Registers every bench command. Each component adds one line here.</summary>
internal static partial class BenchRegistry
{
    public static void RegisterAll()
    {
        RegisterStorage();
        RegisterGrammar();
        RegisterEngine();
        RegisterPgWire();
        RegisterServer();
        RegisterTiering();
    }

    static partial void RegisterStorage();
    static partial void RegisterGrammar();
    static partial void RegisterEngine();
    static partial void RegisterPgWire();
    static partial void RegisterServer();
    static partial void RegisterTiering();
}
