namespace Query.Conformance;

/// <summary>
/// floor.txt: the least number of passes CI accepts per file, <c>file minimum</c> per line. Raise a line when
/// cases start to pass; lowering one needs a reason in the commit. One line per file keeps merges easy.
/// </summary>
public static class Floor
{
    public static Dictionary<string, int> Load(string path)
    {
        var floors = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(path))
        {
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
                continue;
            var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            floors[parts[0]] = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return floors;
    }

    /// <summary>Lines for files whose passes fell below their floor (empty when all hold).</summary>
    public static List<string> Check(ConformanceReport report, Dictionary<string, int> floors)
    {
        var below = new List<string>();
        foreach (var (file, minimum) in floors)
        {
            var passes = report.Passes(file);
            if (passes < minimum)
                below.Add($"{file}: {passes} passes, floor {minimum}");
        }
        return below;
    }
}
