using Parquet;
using Query.Storage.Reading;
using Query.Tiering.Layout;

namespace Query.Tiering.Parquet;

/// <summary>
/// The row groups of a cold file as its footer describes them (offset and ROWTIME ranges from the column
/// statistics, rows, compressed bytes), for EXPLAIN: the same statistics the reader prunes row groups by,
/// including those of the column predicates (<see cref="SourceExtent.ExcludedByFilter"/>).
/// </summary>
internal static class ColdFileRowGroups
{
    /// <summary>What <see cref="SourceExtent.Kind"/> says for a row group.</summary>
    public const string Kind = "row group";

    public static IReadOnlyList<SourceExtent> Describe(string path, IColumnLayout layout,
        IReadOnlyList<ColumnPredicate> filter) => DescribeAsync(path, layout, filter).GetAwaiter().GetResult();

    private static async Task<IReadOnlyList<SourceExtent>> DescribeAsync(string path, IColumnLayout layout,
        IReadOnlyList<ColumnPredicate> filter)
    {
        await using var reader = await ParquetReader.CreateAsync(path).ConfigureAwait(false);
        var offsetField = reader.Schema.FindDataField(ColdFileSchema.RowOffset);
        var timeField = reader.Schema.FindDataField(ColdFileSchema.RowTime);
        var rowFilter = BindFilter(reader, layout, filter);
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
                baseOffset, endOffset, minMs, maxMs, rowGroup.RowGroup.TotalCompressedSize ?? 0)
            {
                ExcludedByFilter = rowFilter is not null && !rowFilter.MayMatch(rowGroup),
            });
        }
        return groups;
    }

    // The reader's own binding: predicates on columns this file holds (older files may lack newer columns).
    private static ColdRowFilter? BindFilter(ParquetReader reader, IColumnLayout layout,
        IReadOnlyList<ColumnPredicate> filter)
    {
        if (filter.Count == 0)
            return null;
        var schema = ColdFileSchema.Create(layout.Columns);
        return ColdRowFilter.Bind(schema, layout, filter,
            node => reader.Schema.Fields.Any(f => f.Name == schema.Schema.Fields[node + 3].Name));
    }
}
