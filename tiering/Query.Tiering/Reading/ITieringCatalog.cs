using Query.Tiering.Layout;

namespace Query.Tiering.Reading;

/// <summary>What tiering needs to know of a log from whoever owns the schema (the engine's catalog).</summary>
public interface ITieringCatalog
{
    /// <summary>The folder under the cold root that holds the log's stream (its name, as users query it).</summary>
    string ColdFolderOf(string logName);

    /// <summary>The stream's current column layout; asked at every read, so schema changes apply at once.</summary>
    IColumnLayout LayoutOf(string logName);
}
