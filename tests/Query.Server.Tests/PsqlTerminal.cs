using System.Text.RegularExpressions;

namespace Query.Server.Tests;

/// <summary>
/// psql in a real terminal (a detached tmux session; .ci/run installs tmux), for what only an interactive psql
/// does: tab completion sends its catalog queries when Tab is pressed at the prompt.
/// </summary>
internal static class PsqlTerminal
{
    /// <summary>
    /// Types the keys (text, or tmux key names like <c>Tab</c>) and returns the screen once it matches
    /// <paramref name="expected"/> (a regular expression), or after 15 s.
    /// </summary>
    public static async Task<string> CompleteAsync(int port, string[] keys, string expected)
    {
        var session = "psql" + Guid.NewGuid().ToString("N")[..8];
        var psql = $"psql -h 127.0.0.1 -p {port} -U query -d query -X";
        await TmuxAsync("new-session", "-d", "-s", session, "-x", "200", "-y", "40", psql);
        try
        {
            await WaitForScreenAsync(session, "=>");
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
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if ((await ScreenAsync(session)).Contains(text, StringComparison.Ordinal))
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"psql showed no prompt: {await ScreenAsync(session)}");
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
