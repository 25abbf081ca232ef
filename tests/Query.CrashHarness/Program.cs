namespace Query.CrashHarness;

internal static class Program
{
    private static int Main() => 1;
}
