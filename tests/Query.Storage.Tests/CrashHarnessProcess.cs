using System.Diagnostics;
using System.Reflection;

namespace Query.Storage.Tests;

/// <summary>Starts tests/Query.CrashHarness (built with this project) and collects its acknowledgement lines.</summary>
internal sealed class CrashHarnessProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstAck = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CrashHarnessProcess(Process process) => _process = process;

    public static CrashHarnessProcess Start(string dataDirectory, int run, double? seconds = null,
        bool transactions = false, string? mode = null)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HarnessPath());
        if (transactions)
            info.ArgumentList.Add("txn");
        else if (mode is not null)
            info.ArgumentList.Add(mode);
        info.ArgumentList.Add(dataDirectory);
        info.ArgumentList.Add(run.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (seconds is { } s)
            info.ArgumentList.Add(s.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var harness = new CrashHarnessProcess(new Process { StartInfo = info });
        harness._process.OutputDataReceived += (_, e) => harness.OnLine(e.Data);
        harness._process.ErrorDataReceived += (_, e) => harness.OnLine(e.Data is null ? null : "E " + e.Data);
        harness._process.Start();
        harness._process.BeginOutputReadLine();
        harness._process.BeginErrorReadLine();
        return harness;
    }

    public Task Ready => _ready.Task;

    public Task FirstAck => _firstAck.Task;

    /// <summary>Complete acknowledgement lines (a line cut by the kill lacks the trailing " .").</summary>
    public List<string> Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    public void Kill()
    {
        _process.Kill(entireProcessTree: true);   // SIGKILL on Unix
        _process.WaitForExit();
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout) && WaitForOutput();

    public int ExitCode => _process.ExitCode;

    public void Dispose() => _process.Dispose();

    private bool WaitForOutput()
    {
        _process.WaitForExit();   // drains the redirected streams
        return true;
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_lines)
            _lines.Add(line);
        if (line.StartsWith("ready", StringComparison.Ordinal))
            _ready.TrySetResult();
        else if (line.EndsWith(" .", StringComparison.Ordinal))
            _firstAck.TrySetResult();
        else if (line.StartsWith("E ", StringComparison.Ordinal))
        {
            _ready.TrySetException(new InvalidOperationException("crash harness failed: " + line));
            _firstAck.TrySetException(new InvalidOperationException("crash harness failed: " + line));
        }
    }

    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
            return current;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
    }

    private static string HarnessPath()
    {
        var configured = typeof(CrashHarnessProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "CrashHarnessPath")?.Value;
        if (configured is not null && File.Exists(configured))
            return Path.GetFullPath(configured);
        // Fallback: walk up to the repository and look for any built harness.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null;
            directory = directory.Parent)
        {
            var bin = Path.Combine(directory.FullName, "tests", "Query.CrashHarness", "bin");
            if (Directory.Exists(bin))
            {
                var found = Directory.GetFiles(bin, "Query.CrashHarness.dll", SearchOption.AllDirectories);
                if (found.Length > 0)
                    return found[0];
            }
        }
        throw new FileNotFoundException("Query.CrashHarness.dll not found; build tests/Query.CrashHarness", configured);
    }
}
