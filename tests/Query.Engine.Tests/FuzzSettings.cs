using System.Globalization;

namespace Query.Engine.Tests;

/// <summary>The fuzz tests' settings from the environment (QUERY_FUZZ_SEED and the statement counts).</summary>
internal static class FuzzSettings
{
    /// <summary>The integer in environment variable <paramref name="name"/>, or <paramref name="fallback"/> when it is
    /// unset or not a number.</summary>
    public static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value)
            ? value
            : fallback;
}
