namespace Query.Server;

internal static class Program
{
    private static int Main()
    {
        Console.Error.WriteLine("Query.Server: the host is being built (issue 5).");
        return 1;
    }
}
