using Query.Engine.Catalog;
using Query.Tiering.Layout;
using Query.Tiering.Reading;

namespace Query.Engine.Tiering;

/// <summary>
/// Tells tiering a log's stream folder (the stream's name, as users query the lake) and its current column
/// layout. The layout's schema version is the column count: ALTER STREAM only adds columns.
/// </summary>
internal sealed class EngineTieringCatalog(QueryEngine engine) : ITieringCatalog
{
    public string ColdFolderOf(string logName) => Find(logName)?.Name ?? logName;

    // A fresh layout per call: layouts keep decode buffers, and readers run concurrently.
    public IColumnLayout LayoutOf(string logName)
    {
        var definition = Find(logName)
            ?? throw new InvalidOperationException($"no stream reads log \"{logName}\"");
        return new StreamColumnLayout(definition, definition.Columns.Count);
    }

    private StreamDefinition? Find(string logName)
    {
        foreach (var definition in engine.ListStreams())
        {
            if (definition.LogName == logName)
                return definition;
        }
        return null;
    }
}
