using System.Text;
using Query.Engine.Execution;
using Query.Engine.Types;
using Query.Storage.Reading;

namespace Query.Engine.Statements;

internal static partial class ShowHandler
{
    private const string ColdKind = Query.Tiering.Reading.TieredPartitionSource.FileKind;

    /// <summary>
    /// DESCRIBE EXTENDED's tiering rows: the stream's settings (defaults filled in), then per partition its hot
    /// and cold extents (offsets, ROWTIME range, bytes, segment or file count). Only with a cold tier.
    /// </summary>
    private static List<Cell[]> TierRows(EngineSession session, StreamRuntime stream)
    {
        var rows = new List<Cell[]>();
        if (session.Engine.Options.ColdStore is null)
            return rows;
        var t = session.Engine.TieringOf(stream.Definition);
        rows.Add(EngineSession.TextRow(stream.Definition.Name, "TIERING",
            $"tiered {(t.Enabled ? "true" : "false")} local_retention_ms {t.LocalRetentionMs} local_retention_bytes "
            + $"{t.LocalRetentionBytes} retention_ms {t.RetentionMs} retention_bytes {t.RetentionBytes}"));
        for (var p = 0; p < stream.Sources.Count; p++)
        {
            var extents = stream.Sources[p].DescribeExtents();
            var text = new StringBuilder();
            Extent(text, "hot", "segments", extents, cold: false);
            text.Append("; ");
            Extent(text, "cold", "files", extents, cold: true);
            rows.Add(EngineSession.TextRow($"partition {p}", "TIERS", text.ToString()));
        }
        return rows;
    }

    private static void Extent(StringBuilder text, string tier, string unit, IReadOnlyList<SourceExtent> extents,
        bool cold)
    {
        long start = long.MaxValue, end = long.MinValue, bytes = 0, minTs = long.MaxValue, maxTs = long.MinValue;
        var count = 0;
        foreach (var extent in extents)
        {
            if ((extent.Kind == ColdKind) != cold)
                continue;
            count++;
            bytes += extent.SizeBytes;
            start = Math.Min(start, extent.BaseOffset);
            end = Math.Max(end, extent.EndOffset);
            if (extent.EndOffset > extent.BaseOffset)
            {
                minTs = Math.Min(minTs, extent.MinTimestampMs);
                maxTs = Math.Max(maxTs, extent.MaxTimestampMs);
            }
        }
        text.Append(tier);
        if (count == 0)
        {
            text.Append(" empty");
            return;
        }
        text.Append(" offsets [").Append(start).Append(", ").Append(end).Append(") bytes ").Append(bytes)
            .Append(' ').Append(unit).Append(' ').Append(count);
        if (minTs <= maxTs)
            text.Append(" rowtime [").Append(Temporal.FormatTimestamp(minTs)).Append(", ")
                .Append(Temporal.FormatTimestamp(maxTs)).Append(']');
    }
}
