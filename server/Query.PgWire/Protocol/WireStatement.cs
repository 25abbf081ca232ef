using Query.PgWire.Types;

namespace Query.PgWire.Protocol;

/// <summary>
/// A prepared statement as the connection keeps it: exactly one of an empty query, a wire-handled utility command
/// or a session statement, plus its parameter and result shapes.
/// </summary>
internal sealed class WireStatement
{
    public static readonly WireStatement EmptyQuery = new("", [], null);

    private WireStatement(string sql, int[] parameterOids, PgColumn[]? columns)
    {
        Sql = sql;
        ParameterOids = parameterOids;
        Columns = columns;
    }

    public string Sql { get; }
    public int[] ParameterOids { get; }
    public PgColumn[]? Columns { get; }
    public UtilityCommand? Utility { get; private init; }
    public IPgStatement? Session { get; private init; }
    public bool IsEmpty => Utility is null && Session is null;

    public static WireStatement ForUtility(string sql, UtilityCommand utility, PgColumn[]? columns) =>
        new(sql, [], columns) { Utility = utility };

    public static WireStatement ForSession(string sql, IPgStatement statement)
    {
        var declared = statement.ParameterTypeOids;
        var oids = new int[declared.Count];
        for (int i = 0; i < oids.Length; i++)
            oids[i] = declared[i] is PgTypeOid.Unspecified or PgTypeOid.Unknown ? PgTypeOid.Text : declared[i];
        PgColumn[]? columns = statement.Columns is null ? null : [.. statement.Columns];
        return new(sql, oids, columns) { Session = statement };
    }
}

/// <summary>A bound statement (or a DECLAREd cursor) and, once executed, its running result.</summary>
internal sealed class Portal
{
    public Portal(string name, WireStatement statement, PgValues parameters, bool[] resultBinary)
    {
        Name = name;
        Statement = statement;
        Parameters = parameters;
        ResultBinary = resultBinary;
        var columns = statement.Columns ?? [];
        ColumnOids = new int[columns.Length];
        for (int i = 0; i < columns.Length; i++)
            ColumnOids[i] = columns[i].TypeOid;
    }

    public string Name { get; }
    public WireStatement Statement { get; }
    public PgValues Parameters { get; }
    public bool[] ResultBinary { get; }
    public int[] ColumnOids { get; }
    public bool IsCursor { get; init; }
    public bool DeclaredInTransaction { get; init; }
    public IPgResult? Result { get; set; }
    public CancellationTokenSource? Cancellation { get; set; }
    public bool Ended { get; set; }
    public long RowsSent { get; set; }

    public async ValueTask DisposeResultAsync()
    {
        // A result read to its end has nothing left to stop; cancelling it anyway would cost a thread-pool hop
        // (CancelAsync runs any registered callbacks there) on every round trip.
        if (Cancellation is not null && !Ended)
            await Cancellation.CancelAsync();
        if (Result is not null)
        {
            var result = Result;
            Result = null;
            try
            {
                await result.DisposeAsync();
            }
            catch (Exception)
            {
                // A result that fails while being torn down has nothing left to report to the client.
            }
        }
        Cancellation?.Dispose();
        Cancellation = null;
    }
}
