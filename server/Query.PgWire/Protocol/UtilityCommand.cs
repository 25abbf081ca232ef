namespace Query.PgWire.Protocol;

internal enum UtilityKind
{
    Begin,
    Commit,
    Rollback,
    NoOp,
    Set,
    Reset,
    Show,
    Discard,
    Deallocate,
    Declare,
    Fetch,
    Close,
    CopyIn,
    CopyOut,
}

/// <summary>A statement the wire layer answers itself (transactions, settings, cursors, COPY).</summary>
internal sealed record UtilityCommand(UtilityKind Kind, string Tag)
{
    public string? Name { get; init; }
    public string? Value { get; init; }
    public string? Query { get; init; }
    public int QueryOffset { get; init; }

    /// <summary>FETCH row count; 0 means ALL.</summary>
    public long Count { get; init; }

    public bool All { get; init; }
    public CopyOptions? Copy { get; init; }
    public IReadOnlyList<string>? Columns { get; init; }
}

/// <summary>COPY data format options.</summary>
internal sealed record CopyOptions
{
    public CopyFormat Format { get; set; } = CopyFormat.Text;
    public bool Header { get; set; }
    public char Delimiter { get; set; } = '\0';
    public string? Null { get; set; }
    public char Quote { get; set; } = '"';
    public char Escape { get; set; } = '\0';

    public char EffectiveDelimiter => Delimiter != '\0' ? Delimiter : Format == CopyFormat.Csv ? ',' : '\t';
    public string EffectiveNull => Null ?? (Format == CopyFormat.Csv ? "" : "\\N");
    public char EffectiveEscape => Escape != '\0' ? Escape : Quote;
}

internal enum CopyFormat
{
    Text,
    Csv,
    Binary,
}
