using System.Text.Json;

namespace Query.Conformance;

/// <summary>
/// One runnable case of a QTT file after the <c>format</c> / <c>config</c> matrix is expanded: its statements
/// with <c>{FORMAT}</c> and <c>{CONFIG}</c> replaced, and the test's JSON for inputs, outputs and responses.
/// </summary>
public sealed record QttCase(string File, string Name, bool Rest, IReadOnlyList<string> Statements, JsonElement Test)
{
    public bool Enabled => !Test.TryGetProperty("enabled", out var enabled) || enabled.ValueKind != JsonValueKind.False;

    public bool ExpectsError => Test.TryGetProperty("expectedException", out _)
        || Test.TryGetProperty("expectedError", out _);

    public IEnumerable<JsonElement> Array(string property)
    {
        if (Test.TryGetProperty(property, out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
                yield return item;
        }
    }
}
