using System.Text.RegularExpressions;

namespace Query.Server.Tests;

/// <summary>
/// An interactive client in a real terminal (a detached tmux session; .ci/run installs tmux), for what only an
/// interactive client does: psql's tab completion sends its catalog queries when Tab is pressed, pgcli loads its
/// completions in the background at start-up.
/// </summary>
internal static class Terminal
{
    /// <summary>psql at the prompt: types the keys and returns the screen (see <see cref="RunAsync"/>).</summary>
    public static Task<string> PsqlAsync(int port, string[] keys, string expected) =>
        RunAsync($"psql -h 127.0.0.1 -p {port} -U query -d query -X", "=>", keys, expected);

    /// <summary>
    /// Starts the command, waits for its prompt, types the keys (text, or tmux key names like <c>Tab</c> and
    /// <c>Enter</c>) and returns the screen once it matches <paramref name="expected"/> (a regular expression), or
    /// after 15 s.
    /// </summary>
    public static async Task<string> RunAsync(string command, string prompt, string[] keys, string expected)
    {
        var session = "q" + Guid.NewGuid().ToString("N")[..8];
        await TmuxAsync("new-session", "-d", "-s", session, "-x", "200", "-y", "50", command);
        try
        {
            await WaitForScreenAsync(session, prompt);
            foreach (var key in keys)
            {
                await TmuxAsync("send-keys", "-t", session, key);
                // A second Tab only lists the candidates once the first one's query has been answered.
                await Task.Delay(key == "Tab" ? 500 : 100);
            }
            var screen = await ScreenAsync(session);
            for (var waited = 0; waited < 150 && !Regex.IsMatch(screen, expected); waited++)
            {
                await Task.Delay(100);
                screen = await ScreenAsync(session);
            }
            return screen;
        }
        finally
        {
            await TmuxAsync("kill-session", "-t", session);
        }
    }

    private static async Task WaitForScreenAsync(string session, string text)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if ((await ScreenAsync(session)).Contains(text, StringComparison.Ordinal))
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no prompt: {await ScreenAsync(session)}");
    }

    private static async Task<string> ScreenAsync(string session) =>
        (await TmuxAsync("capture-pane", "-p", "-t", session)).Output;

    private static async Task<(int Code, string Output)> TmuxAsync(params string[] arguments)
    {
        var (code, output, error) = await ExternalClient.RunAsync("tmux", arguments);
        Assert.True(code == 0 || arguments[0] == "kill-session", $"tmux {arguments[0]}: {error}");
        return (code, output);
    }
}
