using Query.PgWire.Types;

namespace Query.PgWire;

/// <summary>One prepared statement: its parameter and result shapes, and how to run it.</summary>
public interface IPgStatement
{
    /// <summary>
    /// Type OID per parameter <c>$1..$n</c>, with undeclared ones inferred (text 25 as a last resort).
    /// </summary>
    IReadOnlyList<int> ParameterTypeOids { get; }

    /// <summary>Result columns, or null when the statement returns no rows (DDL, INSERT).</summary>
    IReadOnlyList<PgColumn>? Columns { get; }

    /// <summary>
    /// Starts the statement. Parameters are decoded lazily from <paramref name="parameters"/>, which is only valid
    /// during this call. <paramref name="cancellationToken"/> fires on cancel, disconnect and shutdown and stays
    /// live for the whole life of the returned result (a push query keeps running until then).
    /// </summary>
    ValueTask<IPgResult> ExecuteAsync(PgValues parameters, CancellationToken cancellationToken);
}
