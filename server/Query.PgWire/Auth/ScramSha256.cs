using System.Security.Cryptography;
using System.Text;

namespace Query.PgWire.Auth;

/// <summary>
/// Server side of SCRAM-SHA-256 (RFC 5802/7677) as PostgreSQL does it, without channel binding (no TLS here, so
/// the client's gs2 flag must be <c>n</c> or <c>y</c>). The SCRAM user name is ignored: the startup user counts.
/// </summary>
internal sealed class ScramSha256
{
    private const int Iterations = 4096;
    private readonly byte[] _storedKey;
    private readonly byte[] _serverKey;
    private readonly byte[] _salt;
    private string _clientFirstBare = "";
    private string _serverFirst = "";
    private string _nonce = "";
    private string _gs2Header = "";

    /// <summary>
    /// Derives the verifier from the configured password (null: unknown user, which must still fail late).
    /// </summary>
    public ScramSha256(string? password)
    {
        _salt = RandomNumberGenerator.GetBytes(16);
        var secret = Encoding.UTF8.GetBytes(password ?? RandomNumberGenerator.GetHexString(32));
        var salted = Rfc2898DeriveBytes.Pbkdf2(secret,
            _salt, Iterations, HashAlgorithmName.SHA256, 32);
        _storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        _serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
    }

    /// <summary>Takes client-first-message, returns server-first-message (null if malformed).</summary>
    public string? ServerFirst(string clientFirst)
    {
        int comma = clientFirst.IndexOf(',', StringComparison.Ordinal);
        int second = comma < 0 ? -1 : clientFirst.IndexOf(',', comma + 1);
        if (second < 0 || clientFirst[0] is not ('n' or 'y'))
            return null;
        _gs2Header = clientFirst[..(second + 1)];
        _clientFirstBare = clientFirst[(second + 1)..];
        string? clientNonce = Attribute(_clientFirstBare, 'r');
        if (string.IsNullOrEmpty(clientNonce))
            return null;
        _nonce = clientNonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_salt)},i={Iterations}";
        return _serverFirst;
    }

    /// <summary>Verifies client-final-message; returns server-final-message, or null when the proof is wrong.</summary>
    public string? ServerFinal(string clientFinal)
    {
        int proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
            return null;
        string withoutProof = clientFinal[..proofAt];
        string? binding = Attribute(withoutProof, 'c');
        string? nonce = Attribute(withoutProof, 'r');
        if (binding != Convert.ToBase64String(Encoding.UTF8.GetBytes(_gs2Header)) || nonce != _nonce)
            return null;
        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(clientFinal[(proofAt + 3)..]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (proof.Length != 32)
            return null;
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
        var signature = HMACSHA256.HashData(_storedKey, authMessage);
        for (int i = 0; i < proof.Length; i++)
            proof[i] ^= signature[i];
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(proof), _storedKey))
            return null;
        return "v=" + Convert.ToBase64String(HMACSHA256.HashData(_serverKey, authMessage));
    }

    private static string? Attribute(string message, char name)
    {
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[0] == name && part[1] == '=')
                return part[2..];
        }
        return null;
    }
}
