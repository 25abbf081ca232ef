using Query.Engine;
using Query.PgWire;
using Query.PgWire.Types;

namespace Query.Server;

/// <summary>An engine <see cref="PreparedStatement"/> described in wire terms, run with wire parameters.</summary>
internal sealed class WireStatement : IPgStatement
{
    private readonly EngineSession _session;
    private readonly PreparedStatement _prepared;

    public WireStatement(EngineSession session, PreparedStatement prepared, ReadOnlySpan<int> declaredOids)
    {
        _session = session;
        _prepared = prepared;
        var oids = new int[prepared.ParameterTypes.Count];
        for (var i = 0; i < oids.Length; i++)
        {
            // A type the client declared wins: it decides how the client encodes the value.
            oids[i] = i < declaredOids.Length && declaredOids[i] != 0
                ? declaredOids[i]
                : i < prepared.ParameterPgTypeOids.Count && prepared.ParameterPgTypeOids[i] != 0
                    ? prepared.ParameterPgTypeOids[i]
                    : PgTypeMapping.OidOf(prepared.ParameterTypes[i]);
        }
        ParameterTypeOids = oids;
        if (prepared.ReturnsRows)
        {
            var columns = new PgColumn[prepared.Columns.Count];
            for (var i = 0; i < columns.Length; i++)
                columns[i] = PgTypeMapping.ToPgColumn(prepared.Columns[i]);
            Columns = columns;
        }
    }

    public IReadOnlyList<int> ParameterTypeOids { get; }

    public IReadOnlyList<PgColumn>? Columns { get; }

    public async ValueTask<IPgResult> ExecuteAsync(PgValues parameters, CancellationToken cancellationToken)
    {
        var values = ToEngineValues(parameters);
        try
        {
            var result = await _session.ExecuteAsync(_prepared, values, cancellationToken);
            if (result.Rows is null)
                return new PgCommandResult(result.CommandTag ?? "OK");
            return new WireRowsResult(result, cancellationToken);
        }
        catch (Exception ex) when (WireErrors.TryTranslate(ex, out var error))
        {
            throw error;
        }
    }

    /// <summary>
    /// Binary values arrive typed by their OID; text values stay text and the engine parses them as the
    /// parameter's SQL type, with the same rules as a literal.
    /// </summary>
    private static object?[] ToEngineValues(PgValues parameters)
    {
        if (parameters.Count == 0)
            return [];
        var values = new object?[parameters.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (parameters.IsNull(i))
                values[i] = null;
            else if (parameters.IsBinary(i))
                values[i] = parameters.GetValue(i);
            else
                values[i] = parameters.GetString(i);
        }
        return values;
    }
}
