using Query.PgWire.Framing;
using Query.PgWire.Protocol;
using Query.PgWire.Types;

namespace Query.PgWire;

/// <summary>The simple query protocol and statement preparation shared with the extended protocol.</summary>
internal sealed partial class PgConnection
{
    private static readonly bool[] NoFormats = [];

    private async ValueTask SimpleQueryAsync(string sql)
    {
        IReadOnlyList<PgStatementText> statements;
        try
        {
            statements = PgSqlSplitter.IsBlank(sql) ? [] : _session!.SplitStatements(sql);
        }
        catch (Exception ex) when (IsStatementError(ex))
        {
            await ReportErrorAsync(ex, extended: false);
            return;
        }
        if (statements.Count == 0)
            _out.WriteBytes(PgMessages.EmptyQueryResponse);
        foreach (var statement in statements)
        {
            try
            {
                await RunSimpleStatementAsync(statement.Sql);
            }
            catch (Exception ex) when (IsStatementError(ex))
            {
                await ReportErrorAsync(WithOffset(ex, statement.Offset), extended: false);
                return;
            }
        }
        await ReadyForQueryAsync();
    }

    private static Exception WithOffset(Exception ex, int offset) =>
        ex is PgException { Position: > 0 } pg && offset > 0
            ? new PgException(pg.SqlState, pg.Message, pg.Detail, pg.Hint, pg.Position + offset)
            : ex;

    private async ValueTask RunSimpleStatementAsync(string sql)
    {
        var statement = Prepare(sql, []);
        CheckTransactionAllows(statement);
        var portal = new Portal("", statement, PgValues.Empty, TextFormats(statement.Columns));
        try
        {
            if (statement.Columns is not null && statement.Utility is null)
                PgMessages.WriteRowDescription(_out, statement.Columns, null);
            await ExecutePortalAsync(portal, 0, simple: true);
        }
        finally
        {
            await portal.DisposeResultAsync();
        }
    }

    private static bool[] TextFormats(PgColumn[]? columns) => columns is null ? NoFormats : new bool[columns.Length];

    /// <summary>In a failed transaction block only COMMIT/ROLLBACK are allowed (25P02), as in PostgreSQL.</summary>
    private void CheckTransactionAllows(WireStatement statement)
    {
        if (_transaction == 'E' && statement.Utility?.Kind is not (UtilityKind.Commit or UtilityKind.Rollback))
            throw new PgException(PgSqlState.InFailedSqlTransaction,
                "current transaction is aborted, commands ignored until end of transaction block");
    }

    /// <summary>
    /// Recognises the statements the wire layer handles itself (transaction control, SET/SHOW, cursors) by their
    /// grammar, and hands everything else, catalog queries included, to the session.
    /// </summary>
    private WireStatement Prepare(string sql, ReadOnlySpan<int> parameterOids)
    {
        if (PgSqlSplitter.IsBlank(sql))
            return WireStatement.EmptyQuery;
        var utility = UtilityParser.Parse(sql, _settings.ContainsKey);
        if (utility is not null)
            return WireStatement.ForUtility(sql, utility, UtilityColumns(utility));
        return CheckFieldCounts(WireStatement.ForSession(sql, _session!.Prepare(sql, parameterOids)));
    }

    /// <summary>
    /// ParameterDescription and RowDescription carry their counts in 16 bits; a statement with more parameters or
    /// result columns than that cannot be described truthfully, so it is refused before anything is answered.
    /// </summary>
    private static WireStatement CheckFieldCounts(WireStatement statement)
    {
        if (statement.ParameterOids.Length > PgMessages.MaxFieldCount)
            throw new PgException(PgSqlState.ProgramLimitExceeded,
                $"statement has {statement.ParameterOids.Length} parameters; " +
                $"at most {PgMessages.MaxFieldCount} are allowed");
        if (statement.Columns is { Length: > PgMessages.MaxFieldCount } columns)
            throw new PgException(PgSqlState.ProgramLimitExceeded,
                $"statement returns {columns.Length} columns; at most {PgMessages.MaxFieldCount} are allowed");
        return statement;
    }

    /// <summary>
    /// Starts (if needed) and drains a portal: rows up to <paramref name="maxRows"/> (0 = all), then its tag.
    /// </summary>
    private async ValueTask ExecutePortalAsync(Portal portal, long maxRows, bool simple)
    {
        var statement = portal.Statement;
        if (statement.IsEmpty)
        {
            _out.WriteBytes(PgMessages.EmptyQueryResponse);
            return;
        }
        if (statement.Utility is not null)
        {
            await ExecuteUtilityAsync(statement.Utility, portal, simple);
            return;
        }
        if (portal.Ended)
        {
            PgMessages.WriteCommandComplete(_out, "SELECT 0");
            return;
        }
        await StartAsync(portal);
        _rows.Configure(portal.ColumnOids, portal.ResultBinary);
        bool ended = await PumpAsync(portal, _rows, maxRows, copy: null);
        if (ended)
        {
            PgMessages.WriteCommandComplete(_out, portal.Result!.CommandTag);
            portal.Ended = true;
            await portal.DisposeResultAsync();
        }
        else
        {
            _out.WriteBytes(PgMessages.PortalSuspended);
            await FlushAsync();
        }
    }

    private async ValueTask StartAsync(Portal portal)
    {
        if (portal.Result is not null)
            return;
        portal.Cancellation = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        var statement = portal.Statement;
        // The portal stays the active statement until PumpAsync, which follows at once, clears it: a CancelRequest
        // arriving between the two still reaches it (cleared here only when the statement failed to start).
        _active = portal;
        try
        {
            portal.Result = await statement.Session!.ExecuteAsync(portal.Parameters, portal.Cancellation.Token);
        }
        catch
        {
            _active = null;
            throw;
        }
    }

    /// <summary>
    /// Moves rows from the result to the client: writes what is ready, flushes before waiting, and flushes again
    /// whenever the buffer passes its threshold, so rows reach a slow push client as they come and memory stays
    /// bounded (the socket write blocks, and the session sees no WriteRows until it completes). Returns true when
    /// the result ended, false when <paramref name="maxRows"/> rows were sent.
    /// </summary>
    private async ValueTask<bool> PumpAsync(Portal portal, PgRowWriter writer, long maxRows, CopyOptions? copy)
    {
        var result = portal.Result!;
        var token = portal.Cancellation!.Token;
        long sent = 0;
        _active = portal;
        try
        {
            while (true)
            {
                token.ThrowIfCancellationRequested();
                int budget = maxRows == 0 ? int.MaxValue : (int)Math.Min(maxRows - sent, int.MaxValue);
                int written = result.WriteRows(writer, budget);
                if (copy is not null)
                    DrainCopyRows(copy);
                sent += written;
                if (maxRows != 0 && sent >= maxRows)
                    return false;
                if (_out.Length >= 64 * 1024)
                    await FlushAsync();
                if (written > 0)
                    continue;
                var more = result.WaitAsync(token);
                if (!more.IsCompleted)
                {
                    await FlushAsync();
                    _receiver.Watching = true;
                    _input.StartWatching(OnClientGone);
                }
                if (!await more)
                    return true;
            }
        }
        finally
        {
            portal.RowsSent += sent;
            _active = null;
            await _input.StopWatchingAsync();
            _receiver.Watching = false;
        }
    }

    private void OnClientGone()
    {
        _clientGone = true;
        try
        {
            _lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Connection already torn down.
        }
    }
}
