using Query.PgWire.Framing;
using Query.PgWire.Protocol;
using Query.PgWire.Types;

namespace Query.PgWire;

/// <summary>
/// The extended query protocol. Unnamed statements and portals are replaced by the next Parse/Bind; portals end
/// at Sync outside a transaction block (cursors and portals inside BEGIN survive Syncs, as pgjdbc's fetch-size mode
/// and node's pg-cursor rely on).
/// </summary>
internal sealed partial class PgConnection
{
    private bool Parse()
    {
        var body = _input.Body;
        string name = PgMessages.ReadCString(body, 0, out int at);
        string sql = PgMessages.ReadCString(body, at, out at);
        int count = PgMessages.ReadInt16(body, ref at);
        if (count < 0 || at + count * 4 > body.Length)
            throw new PgProtocolException("invalid parameter type count in Parse");
        Span<int> oids = count <= 64 ? stackalloc int[count] : new int[count];
        for (int i = 0; i < count; i++)
            oids[i] = PgMessages.ReadInt32(body, ref at);
        if (name.Length > 0 && _statements.ContainsKey(name))
            throw new PgException(PgSqlState.DuplicatePreparedStatement,
                $"prepared statement \"{name}\" already exists");
        if (sql.Contains(';') && PgSqlSplitter.Split(sql).Count > 1)
            throw PgException.Syntax("cannot insert multiple commands into a prepared statement");
        var statement = Prepare(sql, oids);
        CheckTransactionAllows(statement);
        _statements[name] = statement;
        _out.WriteBytes(PgMessages.ParseComplete);
        return true;
    }

    private bool Bind()
    {
        var body = _input.Body;
        string portalName = PgMessages.ReadCString(body, 0, out int at);
        string statementName = PgMessages.ReadCString(body, at, out at);
        if (!_statements.TryGetValue(statementName, out var statement))
            throw new PgException(PgSqlState.InvalidSqlStatementName,
                $"prepared statement \"{statementName}\" does not exist");
        int formatCount = PgMessages.ReadInt16(body, ref at);
        if (formatCount < 0 || at + formatCount * 2 > body.Length)
            throw new PgProtocolException("invalid format code count in Bind");
        int formatsAt = at;
        CheckFormatCodes(body, formatsAt, formatCount);
        at += formatCount * 2;
        int paramCount = PgMessages.ReadInt16(body, ref at);
        if (paramCount != statement.ParameterOids.Length)
            throw new PgException(PgSqlState.ProtocolViolation,
                $"bind message supplies {paramCount} parameters, " +
                $"but prepared statement requires {statement.ParameterOids.Length}");
        if (formatCount > 1 && formatCount != paramCount)
            throw new PgProtocolException("Bind format code count does not match the parameter count");
        var parameters = paramCount == 0 ? PgValues.Empty : new PgValues();
        parameters.Reset(paramCount);
        for (int i = 0; i < paramCount; i++)
        {
            int length = PgMessages.ReadInt32(body, ref at);
            if (length < -1 || (length > 0 && at + length > body.Length))
                throw new PgProtocolException("invalid parameter length in Bind");
            bool binary = formatCount > 0 && PgInput.ReadInt16(body, formatsAt + 2 * (formatCount == 1 ? 0 : i)) == 1;
            parameters.Set(i, length < 0 ? default : body.Slice(at, length), length < 0, binary,
                statement.ParameterOids[i]);
            at += Math.Max(length, 0);
        }
        var resultBinary = ReadResultFormats(body, ref at, statement);
        if (portalName.Length > 0 && _portals.ContainsKey(portalName))
            throw new PgException(PgSqlState.DuplicateCursor, $"cursor \"{portalName}\" already exists");
        ReplacePortal(new Portal(portalName, statement, parameters, resultBinary));
        _out.WriteBytes(PgMessages.BindComplete);
        return true;
    }

    private bool[] ReadResultFormats(ReadOnlySpan<byte> body, ref int at, WireStatement statement)
    {
        int count = PgMessages.ReadInt16(body, ref at);
        int columns = ColumnsOf(statement)?.Length ?? 0;
        if (count < 0 || at + count * 2 > body.Length || (count > 1 && count != columns))
            throw new PgProtocolException("invalid result format codes in Bind");
        CheckFormatCodes(body, at, count);
        var binary = columns == 0 ? NoFormats : new bool[columns];
        for (int i = 0; i < columns && count > 0; i++)
            binary[i] = PgInput.ReadInt16(body, at + 2 * (count == 1 ? 0 : i)) == 1;
        at += count * 2;
        return binary;
    }

    /// <summary>Format codes are 0 (text) or 1 (binary); anything else is refused, as PostgreSQL does.</summary>
    private static void CheckFormatCodes(ReadOnlySpan<byte> body, int at, int count)
    {
        for (int i = 0; i < count; i++)
        {
            short code = PgInput.ReadInt16(body, at + 2 * i);
            if (code is not (0 or 1))
                throw new PgException(PgSqlState.ProtocolViolation, $"unsupported format code: {code}");
        }
    }

    /// <summary>Result columns, including those of the cursor a FETCH reads.</summary>
    private PgColumn[]? ColumnsOf(WireStatement statement)
    {
        if (statement.Utility is { Kind: UtilityKind.Fetch } fetch)
            return _portals.TryGetValue(fetch.Name!, out var cursor) ? cursor.Statement.Columns : null;
        return statement.Columns;
    }

    private void ReplacePortal(Portal portal)
    {
        if (_portals.Remove(portal.Name, out var old))
            _ = old.DisposeResultAsync().AsTask();
        _portals[portal.Name] = portal;
    }

    private bool Describe()
    {
        var body = _input.Body;
        if (body.Length < 2)
            throw new PgProtocolException("invalid Describe message");
        byte kind = body[0];
        string name = PgMessages.ReadCString(body, 1, out _);
        if (kind == 'S')
        {
            if (!_statements.TryGetValue(name, out var statement))
                throw new PgException(PgSqlState.InvalidSqlStatementName,
                    $"prepared statement \"{name}\" does not exist");
            PgMessages.WriteParameterDescription(_out, statement.ParameterOids);
            WriteRowDescriptionOrNoData(ColumnsOf(statement), null);
        }
        else if (kind == 'P')
        {
            if (!_portals.TryGetValue(name, out var portal))
                throw new PgException(PgSqlState.InvalidCursorName, $"portal \"{name}\" does not exist");
            WriteRowDescriptionOrNoData(ColumnsOf(portal.Statement), portal.ResultBinary);
        }
        else
        {
            throw new PgProtocolException("invalid Describe kind");
        }
        return true;
    }

    private void WriteRowDescriptionOrNoData(PgColumn[]? columns, bool[]? binary)
    {
        if (columns is null)
            _out.WriteBytes(PgMessages.NoData);
        else
            PgMessages.WriteRowDescription(_out, columns, binary is { Length: > 0 } ? binary : null);
    }

    private async ValueTask ExecuteAsync()
    {
        var body = _input.Body;
        string name = PgMessages.ReadCString(body, 0, out int at);
        int maxRows = PgMessages.ReadInt32(body, ref at);
        if (!_portals.TryGetValue(name, out var portal))
            throw new PgException(PgSqlState.InvalidCursorName, $"portal \"{name}\" does not exist");
        try
        {
            await ExecutePortalAsync(portal, Math.Max(maxRows, 0), simple: false);
        }
        catch (Exception ex) when (IsStatementError(ex))
        {
            // A failed portal cannot be resumed.
            _portals.Remove(name);
            await portal.DisposeResultAsync();
            throw;
        }
    }

    private async ValueTask SyncAsync()
    {
        _skipUntilSync = false;
        if (_transaction == 'I')
            await CloseTransactionPortalsAsync();
        await ReadyForQueryAsync();
    }

    /// <summary>
    /// Ends the implicit transaction's portals; DECLAREd cursors live until CLOSE, COMMIT or ROLLBACK.
    /// </summary>
    private async ValueTask CloseTransactionPortalsAsync()
    {
        if (_portals.Count == 0)
            return;
        List<string>? ended = null;
        foreach (var (name, portal) in _portals)
        {
            if (portal.IsCursor)
                continue;
            (ended ??= []).Add(name);
        }
        foreach (var name in ended ?? [])
        {
            _portals.Remove(name, out var portal);
            await portal!.DisposeResultAsync();
        }
    }

    private async ValueTask CloseAsync()
    {
        var body = _input.Body;
        if (body.Length < 2)
            throw new PgProtocolException("invalid Close message");
        string name = PgMessages.ReadCString(body, 1, out _);
        if (body[0] == 'S')
            _statements.Remove(name);
        else if (body[0] == 'P' && _portals.Remove(name, out var portal))
            await portal.DisposeResultAsync();
        else if (body[0] is not ((byte)'S' or (byte)'P'))
            throw new PgProtocolException("invalid Close kind");
        _out.WriteBytes(PgMessages.CloseComplete);
    }
}
