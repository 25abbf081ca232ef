using Query.PgWire.Framing;
using Query.PgWire.Protocol;
using Query.PgWire.Types;

namespace Query.PgWire;

/// <summary>
/// DECLARE / FETCH / CLOSE. A cursor is a portal whose result starts at the first FETCH; <c>FETCH n</c> waits until
/// n rows exist (psql's FETCH_COUNT stops at a short batch, so a push cursor must not return early). Cursors declared
/// inside BEGIN end at COMMIT/ROLLBACK; outside a block they are kept until CLOSE (PostgreSQL would refuse them).
/// </summary>
internal sealed partial class PgConnection
{
    private void Declare(UtilityCommand command)
    {
        string name = command.Name!;
        if (_portals.ContainsKey(name))
            throw new PgException(PgSqlState.DuplicateCursor, $"cursor \"{name}\" already exists");
        WireStatement statement;
        try
        {
            statement = Prepare(command.Query!, []);
        }
        catch (PgException ex) when (ex.Position > 0)
        {
            throw new PgException(ex.SqlState, ex.Message, ex.Detail, ex.Hint, ex.Position + command.QueryOffset);
        }
        if (statement.Columns is null || statement.Utility is not null)
            throw new PgException("42P11", "cursor can only scan a query that returns rows");
        _portals[name] = new Portal(name, statement, PgValues.Empty, TextFormats(statement.Columns))
        {
            IsCursor = true,
            DeclaredInTransaction = _transaction != 'I',
        };
    }

    private async ValueTask FetchAsync(UtilityCommand command, Portal fetchPortal, bool simple)
    {
        if (command.Tag == "MOVE")
            throw PgException.FeatureNotSupported("MOVE (use FETCH)");
        if (!_portals.TryGetValue(command.Name!, out var cursor) || !cursor.IsCursor)
            throw new PgException(PgSqlState.InvalidCursorName, $"cursor \"{command.Name}\" does not exist");
        var columns = cursor.Statement.Columns!;
        if (simple)
            PgMessages.WriteRowDescription(_out, columns, null);
        long before = cursor.RowsSent;
        if (!cursor.Ended)
        {
            await StartAsync(cursor);
            var binary = !simple && fetchPortal.ResultBinary.Length == columns.Length
                ? fetchPortal.ResultBinary : cursor.ResultBinary;
            _rows.Configure(cursor.ColumnOids, binary);
            bool ended;
            try
            {
                ended = await PumpAsync(cursor, _rows, command.Count, copy: null);
            }
            catch (Exception)
            {
                // A cancelled or failed cursor cannot be resumed: it is closed, as PostgreSQL aborts it.
                _portals.Remove(cursor.Name);
                await cursor.DisposeResultAsync();
                throw;
            }
            if (ended)
            {
                cursor.Ended = true;
                await cursor.DisposeResultAsync();
            }
        }
        PgMessages.WriteCommandComplete(_out, $"FETCH {cursor.RowsSent - before}");
    }

    private async ValueTask CloseCursorAsync(UtilityCommand command)
    {
        if (command.All)
        {
            List<string> cursors = [];
            foreach (var (name, portal) in _portals)
            {
                if (portal.IsCursor)
                    cursors.Add(name);
            }
            foreach (var name in cursors)
            {
                _portals.Remove(name, out var portal);
                await portal!.DisposeResultAsync();
            }
            return;
        }
        if (!_portals.Remove(command.Name!, out var cursor))
            throw new PgException(PgSqlState.InvalidCursorName, $"cursor \"{command.Name}\" does not exist");
        await cursor.DisposeResultAsync();
    }
}
