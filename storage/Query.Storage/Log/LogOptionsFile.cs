using System.Globalization;
using System.Text;

namespace Query.Storage.Log;

/// <summary>
/// <c>log.options</c>: the options a log was created with, as <c>key=value</c> lines, so a reopen needs no
/// caller-supplied configuration. Durations are stored in ticks to round-trip exactly.
/// </summary>
internal static class LogOptionsFile
{
    public const string FileName = "log.options";

    public static void Write(string directory, LogOptions options)
    {
        var text = new StringBuilder()
            .Append("format=1\n")
            .Append(CultureInfo.InvariantCulture, $"partitions={options.Partitions}\n")
            .Append(CultureInfo.InvariantCulture, $"segmentMaxBytes={options.SegmentMaxBytes}\n")
            .Append(CultureInfo.InvariantCulture, $"segmentMaxAgeTicks={options.SegmentMaxAge.Ticks}\n")
            .Append(CultureInfo.InvariantCulture, $"retentionMs={options.RetentionMs}\n")
            .Append(CultureInfo.InvariantCulture, $"retentionBytes={options.RetentionBytes}\n")
            .Append(CultureInfo.InvariantCulture, $"durability={options.Durability}\n")
            .Append(CultureInfo.InvariantCulture, $"flushIntervalTicks={options.FlushInterval.Ticks}\n")
            .Append(CultureInfo.InvariantCulture, $"maxRecordBytes={options.MaxRecordBytes}\n")
            .ToString();
        using var stream = new FileStream(Path.Combine(directory, FileName), FileMode.Create, FileAccess.Write);
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.Flush(flushToDisk: true);
    }

    public static LogOptions Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(path))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
                values[line[..equals]] = line[(equals + 1)..];
        }
        try
        {
            var options = new LogOptions
            {
                Partitions = int.Parse(values["partitions"], CultureInfo.InvariantCulture),
                SegmentMaxBytes = long.Parse(values["segmentMaxBytes"], CultureInfo.InvariantCulture),
                SegmentMaxAge = TimeSpan.FromTicks(long.Parse(values["segmentMaxAgeTicks"],
                    CultureInfo.InvariantCulture)),
                RetentionMs = long.Parse(values["retentionMs"], CultureInfo.InvariantCulture),
                RetentionBytes = long.Parse(values["retentionBytes"], CultureInfo.InvariantCulture),
                Durability = Enum.Parse<DurabilityMode>(values["durability"]),
                FlushInterval = TimeSpan.FromTicks(long.Parse(values["flushIntervalTicks"],
                    CultureInfo.InvariantCulture)),
                MaxRecordBytes = int.Parse(values["maxRecordBytes"], CultureInfo.InvariantCulture),
            };
            options.Validate();
            return options;
        }
        catch (Exception exception) when (exception is KeyNotFoundException or FormatException or OverflowException
            or ArgumentException)
        {
            throw new CorruptSegmentException(path, 0, "unreadable log options: " + exception.Message);
        }
    }
}
