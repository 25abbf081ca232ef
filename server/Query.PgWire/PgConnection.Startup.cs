using System.Text;
using Microsoft.Extensions.Logging;
using Query.PgWire.Auth;
using Query.PgWire.Framing;

namespace Query.PgWire;

/// <summary>
/// Startup phase: SSL/GSSENC refusal, CancelRequest, StartupMessage, authentication, ParameterStatus.
/// </summary>
internal sealed partial class PgConnection
{
    private const int ProtocolVersion3 = 196608;
    private const int SslRequestCode = 80877103;
    private const int GssEncRequestCode = 80877104;
    private const int CancelRequestCode = 80877102;

    /// <summary>
    /// The ParameterStatus set PostgreSQL 15 reports; clients depend on several of them (see pgwire.md §1.4).
    /// </summary>
    private static readonly string[] ReportedSettings =
    [
        "application_name", "client_encoding", "DateStyle", "default_transaction_read_only", "in_hot_standby",
        "integer_datetimes", "IntervalStyle", "is_superuser", "server_encoding", "server_version",
        "session_authorization", "standard_conforming_strings", "TimeZone",
    ];

    private async ValueTask<bool> StartupAsync()
    {
        while (true)
        {
            if (!await _input.ReadStartupAsync(_startupToken))
                return false;
            var body = _input.Body;
            if (body.Length < 4)
                throw new PgProtocolException("invalid startup packet length");
            int code = PgInput.ReadInt32(body, 0);
            if (code is SslRequestCode or GssEncRequestCode)
            {
                _out.WriteByte((byte)'N');
                await FlushAsync();
                continue;
            }
            if (code == CancelRequestCode)
            {
                if (body.Length == 12)
                    _server.Cancel(PgInput.ReadInt32(body, 4), PgInput.ReadInt32(body, 8));
                return false;
            }
            if (code >> 16 != 3)
                throw new PgException(PgSqlState.FeatureNotSupported,
                    $"unsupported frontend protocol {code >> 16}.{code & 0xFFFF}: server supports 3.0", fatal: true);
            var parameters = ReadStartupParameters(body, out var unsupportedOptions);
            if ((code & 0xFFFF) != 0 || unsupportedOptions.Count > 0)
                WriteNegotiateProtocolVersion(unsupportedOptions);
            return await AuthenticateAndOpenAsync(parameters);
        }
    }

    private static Dictionary<string, string> ReadStartupParameters(ReadOnlySpan<byte> body,
        out List<string> unsupported)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        unsupported = [];
        int at = 4;
        while (at < body.Length && body[at] != 0)
        {
            string name = PgMessages.ReadCString(body, at, out at);
            string value = PgMessages.ReadCString(body, at, out at);
            if (name.StartsWith("_pq_.", StringComparison.Ordinal))
                unsupported.Add(name);
            else
                parameters[name] = value;
        }
        return parameters;
    }

    private void WriteNegotiateProtocolVersion(List<string> unsupported)
    {
        _out.BeginMessage((byte)'v');
        _out.WriteInt32(ProtocolVersion3);
        _out.WriteInt32(unsupported.Count);
        foreach (var name in unsupported)
            _out.WriteCString(name);
        _out.EndMessage();
    }

    private async ValueTask<bool> AuthenticateAndOpenAsync(Dictionary<string, string> parameters)
    {
        if (!parameters.TryGetValue("user", out var user) || user.Length == 0)
            throw new PgException(PgSqlState.InvalidAuthorization,
                "no PostgreSQL user name specified in startup packet",
                fatal: true);
        if (parameters.ContainsKey("replication") && parameters["replication"] is not ("false" or "off" or "0"))
            throw new PgException(PgSqlState.FeatureNotSupported, "replication connections are not supported",
                fatal: true);
        User = user;
        Database = parameters.TryGetValue("database", out var database) && database.Length > 0 ? database : user;
        if (!await AuthenticateAsync(user))
            return false;
        _input.Authenticated(_options.MaxMessageBytes);
        if (!_server.TryRegister(this, _options.AdminUsers.Contains(user), out var refusal))
            throw new PgException(PgSqlState.TooManyConnections, refusal, fatal: true);
        InitializeSettings(parameters);
        _context = new PgSessionContext(user, Database, ProcessId, parameters, _settings);
        _session = await _server.SessionFactory.OpenSessionAsync(_context, _startupToken);
        _out.BeginMessage((byte)'R');
        _out.WriteInt32(0);
        _out.EndMessage();
        foreach (var name in ReportedSettings)
            PgMessages.WriteParameterStatus(_out, name, _settings[name]);
        _out.BeginMessage((byte)'K');
        _out.WriteInt32(ProcessId);
        _out.WriteInt32(SecretKey);
        _out.EndMessage();
        await ReadyForQueryAsync();
        return true;
    }

    private void InitializeSettings(Dictionary<string, string> startup)
    {
        foreach (var (name, value) in DefaultSettings())
            _settings[name] = value;
        foreach (var (name, value) in startup)
        {
            if (name is "user" or "database" or "options" or "replication")
                continue;
            TryApplyStartupSetting(name, value);
        }
        if (startup.TryGetValue("options", out var options))
            ApplyCommandLineOptions(options);
    }

    /// <summary>
    /// Startup values are applied leniently: an unknown time zone or encoding keeps the default instead of refusing
    /// the connection (PostgreSQL would refuse; a JVM zone name we cannot resolve should not lock pgjdbc out).
    /// </summary>
    private void TryApplyStartupSetting(string name, string value)
    {
        try
        {
            ApplySetting(name, value);
        }
        catch (PgException ex)
        {
            _logger.LogDebug("startup setting {Name}={Value} ignored: {Reason}", name, value, ex.Message);
        }
    }

    private Dictionary<string, string> DefaultSettings() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["application_name"] = "",
        ["client_encoding"] = "UTF8",
        ["DateStyle"] = "ISO, MDY",
        ["default_transaction_read_only"] = "off",
        ["in_hot_standby"] = "off",
        ["integer_datetimes"] = "on",
        ["IntervalStyle"] = "postgres",
        ["is_superuser"] = "off",
        ["server_encoding"] = "UTF8",
        ["server_version"] = _options.ServerVersion,
        ["session_authorization"] = User,
        ["standard_conforming_strings"] = "on",
        ["TimeZone"] = "UTC",
        ["extra_float_digits"] = "1",
        ["search_path"] = "\"$user\", public",
        ["transaction_isolation"] = "read committed",
        ["default_transaction_isolation"] = "read committed",
        ["statement_timeout"] = "0",
        ["lock_timeout"] = "0",
        ["idle_in_transaction_session_timeout"] = "0",
        ["max_identifier_length"] = "63",
        ["bytea_output"] = "hex",
        ["server_version_num"] = ServerVersionNum(_options.ServerVersion),
        ["max_connections"] = _options.MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string ServerVersionNum(string version)
    {
        var parts = version.Split('.', ' ');
        int major = int.TryParse(parts[0], out var m) ? m : 15;
        int minor = parts.Length > 1 && int.TryParse(parts[1], out var n) ? n : 0;
        return (major * 10000 + minor).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>libpq's <c>options=-c name=value -c …</c> (also <c>--name=value</c>).</summary>
    private void ApplyCommandLineOptions(string options)
    {
        var words = options.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < words.Length; i++)
        {
            string setting = words[i] == "-c" && i + 1 < words.Length ? words[++i]
                : words[i].StartsWith("--", StringComparison.Ordinal) ? words[i][2..]
                : words[i].StartsWith("-c", StringComparison.Ordinal) ? words[i][2..] : "";
            int eq = setting.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
                TryApplyStartupSetting(setting[..eq].Replace('-', '_'), setting[(eq + 1)..]);
        }
    }

    private async ValueTask<bool> AuthenticateAsync(string user)
    {
        if (_options.AuthMode == PgAuthMode.Trust)
            return true;
        _options.Users.TryGetValue(user, out var password);
        bool ok = _options.AuthMode == PgAuthMode.Cleartext
            ? await CleartextAsync(password)
            : await ScramAsync(password);
        if (!ok)
            throw new PgException(PgSqlState.InvalidPassword, $"password authentication failed for user \"{user}\"",
                fatal: true);
        return true;
    }

    private async ValueTask<bool> CleartextAsync(string? password)
    {
        WriteAuthRequest(3, default);
        await FlushAsync();
        var body = await ReadPasswordMessageAsync();
        string given = PgMessages.ReadCString(body.Span, 0, out _);
        return password is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(password));
    }

    private async ValueTask<bool> ScramAsync(string? password)
    {
        var scram = new ScramSha256(password);
        WriteAuthRequest(10, "SCRAM-SHA-256\0\0"u8);
        await FlushAsync();
        var initial = await ReadPasswordMessageAsync();
        int at = 0;
        string mechanism = PgMessages.ReadCString(initial.Span, 0, out at);
        int length = PgMessages.ReadInt32(initial.Span, ref at);
        if (mechanism != "SCRAM-SHA-256" || length < 0 || at + length > initial.Length)
            throw new PgProtocolException("invalid SASL initial response");
        var serverFirst = scram.ServerFirst(Encoding.UTF8.GetString(initial.Span.Slice(at, length)));
        if (serverFirst is null)
            throw new PgProtocolException("malformed SCRAM client-first-message");
        WriteAuthRequest(11, Encoding.UTF8.GetBytes(serverFirst));
        await FlushAsync();
        var final = await ReadPasswordMessageAsync();
        var serverFinal = scram.ServerFinal(Encoding.UTF8.GetString(final.Span));
        if (serverFinal is null || password is null)
            return false;
        WriteAuthRequest(12, Encoding.UTF8.GetBytes(serverFinal));
        return true;
    }

    private void WriteAuthRequest(int code, ReadOnlySpan<byte> data)
    {
        _out.BeginMessage((byte)'R');
        _out.WriteInt32(code);
        _out.WriteBytes(data);
        _out.EndMessage();
    }

    private async ValueTask<ReadOnlyMemory<byte>> ReadPasswordMessageAsync()
    {
        int type = await _input.ReadMessageAsync(_startupToken);
        if (type < 0)
            throw new IOException("client closed the connection during authentication");
        if (type != 'p')
            throw new PgProtocolException($"expected a password message, got message type {type}");
        return _input.Body.ToArray();
    }
}
