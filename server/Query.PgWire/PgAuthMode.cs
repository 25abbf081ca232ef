namespace Query.PgWire;

/// <summary>How clients prove who they are.</summary>
public enum PgAuthMode
{
    /// <summary>Any user name is accepted without a password (development, loopback).</summary>
    Trust,

    /// <summary>SCRAM-SHA-256 against <see cref="PgServerOptions.Users"/>.</summary>
    ScramSha256,

    /// <summary>Cleartext password against <see cref="PgServerOptions.Users"/> (only behind TLS termination).</summary>
    Cleartext,
}
