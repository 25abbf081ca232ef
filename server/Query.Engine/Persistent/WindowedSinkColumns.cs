using Query.Engine.Binding;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Persistent;

/// <summary>
/// A windowed persistent query's hidden output columns: WINDOWSTART and WINDOWEND (which become the windowed
/// table's key columns) and, for session windows, the flag of a row that retracts a merged-away session (the sink
/// writes a tombstone for it).
/// </summary>
internal sealed class WindowedSinkColumns
{
    private const string StartColumn = "__QUERY_WINDOWSTART";
    private const string EndColumn = "__QUERY_WINDOWEND";
    private const string RetractionColumn = "__QUERY_RETRACTION";

    public WindowedSinkColumns(Catalog.TableWindow window, List<string> hidden, int visible)
    {
        Window = window;
        StartIndex = visible + hidden.IndexOf(StartColumn);
        EndIndex = visible + hidden.IndexOf(EndColumn);
        var retraction = hidden.IndexOf(RetractionColumn);
        RetractionIndex = retraction < 0 ? -1 : visible + retraction;
    }

    /// <summary>A windowed aggregate's columns: its window, and the retention its table's state keeps.</summary>
    public WindowedSinkColumns(Windows.WindowSpec window, List<string> hidden, int visible)
        : this(window.TableWindow, hidden, visible) => RetentionMs = window.RetentionMs;

    /// <summary>A join of windowed tables: the result's window bounds are the join's own hidden columns.</summary>
    public WindowedSinkColumns(Catalog.TableWindow window, int startIndex, int endIndex)
    {
        Window = window;
        StartIndex = startIndex;
        EndIndex = endIndex;
        RetractionIndex = -1;
    }

    /// <summary>The window of the sink table's keys.</summary>
    public Catalog.TableWindow Window { get; }

    /// <summary>How long the sink table keeps a window (the WINDOW's RETENTION); null when the sink only carries a
    /// source's windows.</summary>
    public long? RetentionMs { get; }

    /// <summary>Output index of WINDOWSTART.</summary>
    public int StartIndex { get; }

    /// <summary>Output index of WINDOWEND.</summary>
    public int EndIndex { get; }

    /// <summary>Output index of the retraction flag, or -1 (not a session window).</summary>
    public int RetractionIndex { get; }

    /// <summary>Adds the hidden SELECT items of a windowed query and their names.</summary>
    public static void AddHidden(Ast.WindowExpr window, List<Ast.SelectItem> items, List<string> hidden)
    {
        Add(new Ast.ColumnRef(null, Ast.Identifier.Unquoted("WINDOWSTART")), StartColumn, items, hidden);
        Add(new Ast.ColumnRef(null, Ast.Identifier.Unquoted("WINDOWEND")), EndColumn, items, hidden);
        if (window is Ast.SessionWindow)
            Add(new Ast.ColumnRef(null, Ast.Identifier.Unquoted(AggregationContext.RetractionColumn)),
                RetractionColumn, items, hidden);
    }

    /// <summary>
    /// Adds the hidden SELECT items of a join of windowed streams: the left stream's window bounds (both sides' are
    /// equal on every pair), which make the sink a windowed stream keyed by the join key and that window, as ksqlDB's
    /// sink of such a join is.
    /// </summary>
    public static void AddHidden(Ast.Identifier leftQualifier, List<Ast.SelectItem> items, List<string> hidden)
    {
        Add(new Ast.ColumnRef(leftQualifier, Ast.Identifier.Unquoted(Catalog.StreamDefinition.WindowStartName)),
            StartColumn, items, hidden);
        Add(new Ast.ColumnRef(leftQualifier, Ast.Identifier.Unquoted(Catalog.StreamDefinition.WindowEndName)),
            EndColumn, items, hidden);
    }

    private static void Add(Ast.Expr expression, string name, List<Ast.SelectItem> items, List<string> hidden)
    {
        hidden.Add(name);
        items.Add(new Ast.SingleColumn(expression, Ast.Identifier.Unquoted(name)));
    }
}
