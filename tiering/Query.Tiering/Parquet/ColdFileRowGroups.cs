using Parquet;
using Query.Storage.Reading;

namespace Query.Tiering.Parquet;

/// <summary>
/// The row groups of a cold file as its footer describes them (offset and ROWTIME ranges from the column
/// statistics, rows, compressed bytes), for EXPLAIN: the same statistics the reader prunes row groups by.
/// </summary>
internal static class ColdFileRowGroups
{
    /// <summary>What <see cref="SourceExtent.Kind"/> says for a row group.</summary>
    public const string Kind = "row group";

    public static IReadOnlyList<SourceExtent> Describe(string path) =>
        DescribeAsync(path).GetAwaiter().GetResult();

    private static async Task<IReadOnlyList<SourceExtent>> DescribeAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path).ConfigureAwait(false);
        var offsetField = reader.Schema.FindDataField(ColdFileSchema.RowOffset);
        var timeField = reader.Schema.FindDataField(ColdFileSchema.RowTime);
        var groups = new List<SourceExtent>(reader.RowGroupCount);
        for (var i = 0; i < reader.RowGroupCount; i++)
        {
            var rowGroup = reader.OpenRowGroupReader(i);
            var offsets = rowGroup.GetStatistics(offsetField);
            var times = rowGroup.GetStatistics(timeField);
            var baseOffset = offsets?.MinValue is long min ? min : long.MinValue;
            var endOffset = offsets?.MaxValue is long max ? max + 1 : long.MaxValue;
            var minMs = ColdFileReader.StatisticMs(times?.MinValue) ?? long.MinValue;
            var maxMs = ColdFileReader.StatisticMs(times?.MaxValue) ?? long.MaxValue;
            groups.Add(new SourceExtent(Kind, i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                baseOffset, endOffset, minMs, maxMs, rowGroup.RowGroup.TotalCompressedSize ?? 0));
        }
        return groups;
    }
}
