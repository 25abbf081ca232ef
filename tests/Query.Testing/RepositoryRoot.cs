namespace Query.Testing;

/// <summary>Finds the checkout's root (the folder holding Query.sln) from a test's output directory.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Query.sln")))
            directory = directory.Parent;
        return directory?.FullName
            ?? throw new InvalidOperationException($"no Query.sln above {AppContext.BaseDirectory}");
    }
}
