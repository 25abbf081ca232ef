namespace Query.PgWire;

/// <summary>
/// A COPY sink that takes text and CSV rows field by field, straight from the parser's buffer: no
/// <see cref="Types.PgValues"/> copy per row. The parser splits a whole record first (so a malformed record is
/// reported as such before any of its values is converted), then calls <see cref="BeginTextRow"/>,
/// <see cref="SetTextField"/> for each non-NULL field in column order and <see cref="EndTextRow"/>. Binary COPY
/// still goes to <see cref="IPgCopySink.Append"/>. A lane (<see cref="IPgCopySink.OpenLane"/>) of such a sink is one
/// too. Throw PgException to reject a row.
/// </summary>
public interface IPgCopyTextSink : IPgCopySink
{
    /// <summary>Starts a row with every field NULL.</summary>
    void BeginTextRow();

    /// <summary>A non-NULL field in PostgreSQL's text input syntax, as UTF-8; valid only during the call.</summary>
    void SetTextField(int field, ReadOnlySpan<byte> utf8);

    /// <summary>Ends the row: it is converted and buffered like one given to <see cref="IPgCopySink.Append"/>.
    /// </summary>
    void EndTextRow();
}
