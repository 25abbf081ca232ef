using Query.PgWire.Framing;
using Query.PgWire.Protocol;
using Query.PgWire.Types;

namespace Query.PgWire;

/// <summary>
/// Statements the wire layer answers itself. Transactions only track the ReadyForQuery status byte (the engine
/// appends are individually atomic); SET/SHOW/RESET keep a per-connection settings map and re-announce reported
/// settings with ParameterStatus; cursors are portals driven by FETCH.
/// </summary>
internal sealed partial class PgConnection
{
    private static readonly HashSet<string> Reported = new(ReportedSettings, StringComparer.OrdinalIgnoreCase);

    private PgColumn[]? UtilityColumns(UtilityCommand command) => command.Kind switch
    {
        UtilityKind.Show when command.All =>
            [new("name", PgTypeOid.Text), new("setting", PgTypeOid.Text), new("description", PgTypeOid.Text)],
        UtilityKind.Show => [new(command.Name!, PgTypeOid.Text)],
        UtilityKind.Fetch when command.Tag == "FETCH" => _portals.TryGetValue(command.Name!, out var cursor)
            ? cursor.Statement.Columns : null,
        _ => null,
    };

    private async ValueTask ExecuteUtilityAsync(UtilityCommand command, Portal portal, bool simple)
    {
        switch (command.Kind)
        {
            case UtilityKind.Begin:
                if (_transaction != 'I')
                    PgMessages.WriteNotice(_out, PgSqlState.ActiveSqlTransaction,
                        "there is already a transaction in progress");
                _transaction = 'T';
                break;
            case UtilityKind.Commit or UtilityKind.Rollback:
                await EndTransactionAsync(command, portal);
                return;
            case UtilityKind.Set:
                ApplySetting(command.Name!, command.Value!, announce: true);
                break;
            case UtilityKind.Reset:
                ResetSettings(command.Name);
                break;
            case UtilityKind.Show:
                await ShowAsync(command, portal, simple);
                return;
            case UtilityKind.Discard:
                await DiscardAsync(command, portal);
                break;
            case UtilityKind.Deallocate:
                if (command.All)
                    _statements.Clear();
                else if (!_statements.Remove(command.Name!))
                    throw new PgException(PgSqlState.InvalidSqlStatementName,
                        $"prepared statement \"{command.Name}\" does not exist");
                break;
            case UtilityKind.Declare:
                Declare(command);
                break;
            case UtilityKind.Fetch:
                await FetchAsync(command, portal, simple);
                return;
            case UtilityKind.Close:
                await CloseCursorAsync(command);
                break;
            case UtilityKind.CopyIn:
                await CopyInAsync(command);
                return;
            case UtilityKind.CopyOut:
                await CopyOutAsync(command);
                return;
        }
        PgMessages.WriteCommandComplete(_out, command.Tag);
    }

    private async ValueTask EndTransactionAsync(UtilityCommand command, Portal current)
    {
        string tag = command.Tag;
        if (_transaction == 'I')
            PgMessages.WriteNotice(_out, PgSqlState.NoActiveSqlTransaction, "there is no transaction in progress");
        else if (_transaction == 'E')
            tag = "ROLLBACK";
        _transaction = 'I';
        List<string> ended = [];
        foreach (var (name, portal) in _portals)
        {
            if (portal != current && (!portal.IsCursor || portal.DeclaredInTransaction))
                ended.Add(name);
        }
        foreach (var name in ended)
        {
            _portals.Remove(name, out var portal);
            await portal!.DisposeResultAsync();
        }
        PgMessages.WriteCommandComplete(_out, tag);
    }

    /// <summary>Stores a setting, validating the few the wire layer itself interprets.</summary>
    private void ApplySetting(string name, string value, bool announce = false)
    {
        if (name.Equals("client_encoding", StringComparison.OrdinalIgnoreCase))
            value = NormalizeEncoding(value);
        else if (name.Equals("TimeZone", StringComparison.OrdinalIgnoreCase))
            _rows.TimeZone = FindTimeZone(value);
        else if (name.Equals("DateStyle", StringComparison.OrdinalIgnoreCase) &&
                 !value.StartsWith("ISO", StringComparison.OrdinalIgnoreCase))
            throw new PgException(PgSqlState.FeatureNotSupported, $"DateStyle \"{value}\" is not supported; only ISO");
        string key = CanonicalName(name);
        _settings[key] = value;
        if (announce && Reported.Contains(key))
            PgMessages.WriteParameterStatus(_out, key, value);
    }

    private static string CanonicalName(string name)
    {
        foreach (var reported in ReportedSettings)
        {
            if (reported.Equals(name, StringComparison.OrdinalIgnoreCase))
                return reported;
        }
        return name.ToLowerInvariant();
    }

    private void ResetSettings(string? name)
    {
        var defaults = DefaultSettings();
        foreach (var (key, value) in defaults)
        {
            if (name is null || key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                if (!_settings.TryGetValue(key, out var current) || current != value)
                    ApplySetting(key, value, announce: true);
            }
        }
        if (name is not null && !defaults.ContainsKey(name))
            _settings.TryRemove(name, out _);
    }

    private static string NormalizeEncoding(string value)
    {
        var normalized = value.Replace("-", "").Replace("_", "").ToUpperInvariant();
        return normalized switch
        {
            "UTF8" or "UNICODE" => "UTF8",
            "SQLASCII" => "SQL_ASCII",
            _ => throw new PgException(PgSqlState.InvalidParameterValue,
                $"invalid value for parameter \"client_encoding\": \"{value}\""),
        };
    }

    private static TimeZoneInfo FindTimeZone(string value)
    {
        if (value.Equals("UTC", StringComparison.OrdinalIgnoreCase) ||
            value.Equals("GMT", StringComparison.OrdinalIgnoreCase) || value == "Z")
            return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(value);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new PgException(PgSqlState.InvalidParameterValue,
                $"invalid value for parameter \"TimeZone\": \"{value}\"");
        }
    }

    private async ValueTask ShowAsync(UtilityCommand command, Portal portal, bool simple)
    {
        List<object?[]> rows = [];
        if (command.All)
        {
            foreach (var (name, value) in _settings)
                rows.Add([name, value, ""]);
            rows.Sort((a, b) => string.CompareOrdinal((string)a[0]!, (string)b[0]!));
        }
        else
        {
            rows.Add([_settings.TryGetValue(command.Name!, out var value) ? value : ""]);
        }
        var columns = UtilityColumns(command)!;
        await WriteListAsync(columns, rows, portal, simple, "SHOW");
    }

    private async ValueTask WriteListAsync(PgColumn[] columns, List<object?[]> rows, Portal portal, bool simple,
        string tag)
    {
        if (simple)
            PgMessages.WriteRowDescription(_out, columns, null);
        var oids = new int[columns.Length];
        for (int i = 0; i < oids.Length; i++)
            oids[i] = columns[i].TypeOid;
        _rows.Configure(oids, portal.ResultBinary.Length == columns.Length ? portal.ResultBinary
            : new bool[columns.Length]);
        var result = new PgListResult(rows, tag);
        while (result.WriteRows(_rows, int.MaxValue) > 0)
            await FlushAsync();
        PgMessages.WriteCommandComplete(_out, tag);
    }

    private async ValueTask DiscardAsync(UtilityCommand command, Portal current)
    {
        if (!command.All)
            return;
        if (_transaction != 'I')
            throw new PgException(PgSqlState.ActiveSqlTransaction, "DISCARD ALL cannot run inside a transaction block");
        foreach (var portal in _portals.Values)
        {
            if (portal != current)
                await portal.DisposeResultAsync();
        }
        _portals.Clear();
        _statements.Clear();
        ResetSettings(null);
    }
}
