using System.Globalization;
using Query.Engine.Catalog;
using Query.Engine.Errors;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// ksqlDB's windowed-source properties: WINDOW_TYPE ('TUMBLING' | 'HOPPING' | 'SESSION') and WINDOW_SIZE ('n unit',
/// required for TUMBLING and HOPPING, refused for SESSION). A windowed source's record keys carry the window after
/// the key, and it gains WINDOWSTART and WINDOWEND columns (see <see cref="StreamDefinition.Window"/>).
/// </summary>
internal sealed partial class StreamProperties
{
    private WindowKind? _windowKind;
    private long? _windowSizeMs;

    /// <summary>The source's window, or null when WINDOW_TYPE was not given.</summary>
    public TableWindow? Window => _windowKind is { } kind ? new TableWindow(kind, _windowSizeMs ?? 0) : null;

    private bool TryApplyWindow(string name, Ast.Literal value, int position)
    {
        switch (name)
        {
            case "WINDOW_TYPE":
                _windowKind = Text(value, name, position).ToUpperInvariant() switch
                {
                    "TUMBLING" => WindowKind.Tumbling,
                    "HOPPING" => WindowKind.Hopping,
                    "SESSION" => WindowKind.Session,
                    var other => throw Invalid(name, other, "TUMBLING, HOPPING or SESSION", position),
                };
                return true;
            case "WINDOW_SIZE":
                _windowSizeMs = Duration(Text(value, name, position), name, position);
                return true;
            default:
                return false;
        }
    }

    private void CheckWindow(int position)
    {
        if (_windowKind is null)
        {
            if (_windowSizeMs is not null)
                throw new SqlException(SqlState.InvalidParameterValue, "WINDOW_SIZE needs WINDOW_TYPE",
                    position: position);
            return;
        }
        if (_windowKind == WindowKind.Session && _windowSizeMs is not null)
            throw new SqlException(SqlState.InvalidParameterValue, "WINDOW_SIZE is not for SESSION windows",
                position: position);
        if (_windowKind != WindowKind.Session && _windowSizeMs is null)
            throw new SqlException(SqlState.InvalidParameterValue,
                $"WINDOW_TYPE {_windowKind.ToString()!.ToUpperInvariant()} needs WINDOW_SIZE", position: position);
    }

    /// <summary>
    /// A windowed source's columns: the declared ones, then WINDOWSTART and WINDOWEND (BIGINT, read from the record
    /// key). It needs a key column; the two names are reserved.
    /// </summary>
    public void AddWindowColumns(List<Binding.ColumnInfo> columns, int key, int position)
    {
        if (Window is null)
            return;
        if (key < 0)
            throw new SqlException(SqlState.InvalidParameterValue,
                "WINDOW_TYPE needs a key column (the window is part of the record key)", position: position);
        foreach (var column in columns)
        {
            var pseudo = Grammar.Ast.PseudoColumns.Classify(column.Name.ToLowerInvariant());
            if (pseudo is Grammar.Ast.PseudoColumn.WindowStart or Grammar.Ast.PseudoColumn.WindowEnd)
                throw new SqlException("42939", $"column name \"{column.Name}\" is reserved in a windowed source",
                    position: position);
        }
        columns.Add(new Binding.ColumnInfo(StreamDefinition.WindowStartName, Types.SqlType.BigInt));
        columns.Add(new Binding.ColumnInfo(StreamDefinition.WindowEndName, Types.SqlType.BigInt));
    }

    /// <summary>A duration as ksqlDB writes it in WINDOW_SIZE: '30 seconds', '1 MINUTE', '500 milliseconds'.</summary>
    private static long Duration(string text, string name, int position)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture,
            out var count) || count <= 0)
            throw Invalid(name, $"'{text}'", "a duration such as '30 SECONDS'", position);
        var unit = parts[1].ToUpperInvariant().TrimEnd('S') switch
        {
            "MILLISECOND" => Ast.TimeUnit.Millisecond,
            "SECOND" => Ast.TimeUnit.Second,
            "MINUTE" => Ast.TimeUnit.Minute,
            "HOUR" => Ast.TimeUnit.Hour,
            "DAY" => Ast.TimeUnit.Day,
            _ => throw Invalid(name, $"'{text}'", "a unit of MILLISECONDS, SECONDS, MINUTES, HOURS or DAYS", position),
        };
        return (long)new Ast.Duration(count, unit).ToTimeSpan().TotalMilliseconds;
    }
}
