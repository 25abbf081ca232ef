using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Query.Server.Tests;

/// <summary>
/// An interactive client in a real terminal (a detached tmux session; .ci/run installs tmux), for what only an
/// interactive client does: psql's tab completion sends its catalog queries when Tab is pressed, pgcli loads its
/// completions in the background at start-up. Each terminal runs in a tmux server of its own (a socket named after
/// its session): on the shared default server, a test's kill-session of the last session made the server exit while
/// another test's new-session was connecting to it ("server exited unexpectedly"), and test runs of other checkouts
/// on the same machine share that default server too.
/// </summary>
internal static class Terminal
{
    /// <summary>psql at the prompt: types the keys and returns the screen (see <see cref="RunAsync"/>).</summary>
    public static Task<string> PsqlAsync(int port, string[] keys, string expected) =>
        RunAsync($"psql -h 127.0.0.1 -p {port} -U query -d query -X", "=>", keys, expected);

    /// <summary>
    /// Starts the command, waits for its prompt, types the keys (text, or tmux key names like <c>Tab</c> and
    /// <c>Enter</c>) and returns the screen once it matches <paramref name="expected"/> (a regular expression), or
    /// after <see cref="Deadline"/>.
    /// </summary>
    public static async Task<string> RunAsync(string command, string prompt, string[] keys, string expected)
    {
        var session = "q" + Guid.NewGuid().ToString("N")[..8];
        await TmuxAsync(session, "-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "200", "-y", "50",
            command);
        try
        {
            await WaitForScreenAsync(session, prompt);
            foreach (var key in keys)
            {
                await TmuxAsync(session, "send-keys", "-t", session, key);
                // A second Tab only lists the candidates once the first one's query has been answered.
                await Task.Delay(key == "Tab" ? 500 : 100);
            }
            var clock = Stopwatch.StartNew();
            var screen = await ScreenAsync(session);
            while (clock.Elapsed < Deadline && !Regex.IsMatch(screen, expected))
            {
                await Task.Delay(100);
                screen = await ScreenAsync(session);
            }
            return screen;
        }
        finally
        {
            await TmuxAsync(session, "kill-server");
        }
    }

    /// <summary>How long a prompt or an expected screen may take: it only bounds a hang (on a loaded machine).
    /// </summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static async Task WaitForScreenAsync(string session, string text)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            if ((await ScreenAsync(session)).Contains(text, StringComparison.Ordinal))
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no prompt: {await ScreenAsync(session)}");
    }

    private static async Task<string> ScreenAsync(string session) =>
        (await TmuxAsync(session, "capture-pane", "-p", "-t", session)).Output;

    /// <summary>Runs a tmux command on the session's own server (<c>-L</c>: its socket).</summary>
    private static async Task<(int Code, string Output)> TmuxAsync(string session, params string[] arguments)
    {
        var (code, output, error) = await ExternalClient.RunAsync("tmux", ["-L", session, .. arguments]);
        Assert.True(code == 0 || arguments[0] == "kill-server", $"tmux {string.Join(' ', arguments)}: {error}");
        return (code, output);
    }
}
