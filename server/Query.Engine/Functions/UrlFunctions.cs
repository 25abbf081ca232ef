using System.Net;

namespace Query.Engine.Functions;

/// <summary>
/// ksqlDB's URL_ functions over RFC 3986 URIs. Text that is not an absolute URI gives NULL, as does a part
/// the URI lacks.
/// </summary>
public static class UrlFunctions
{
    public static string UrlEncodeParam(string value) => WebUtility.UrlEncode(value);

    public static string UrlDecodeParam(string value) => WebUtility.UrlDecode(value);

    public static string? UrlExtractFragment(string url) =>
        Parse(url) is { Fragment.Length: > 1 } uri ? Uri.UnescapeDataString(uri.Fragment[1..]) : null;

    public static string? UrlExtractHost(string url) => Parse(url) is { Host.Length: > 0 } uri ? uri.Host : null;

    public static string? UrlExtractPath(string url) => Parse(url) is { } uri ? uri.AbsolutePath : null;

    public static int? UrlExtractPort(string url) => Parse(url) is { IsDefaultPort: false } uri ? uri.Port : null;

    public static string? UrlExtractProtocol(string url) => Parse(url)?.Scheme;

    public static string? UrlExtractQuery(string url) =>
        Parse(url) is { Query.Length: > 1 } uri ? Uri.UnescapeDataString(uri.Query[1..]) : null;

    /// <summary>The decoded value of the first query parameter with the name; NULL when absent.</summary>
    public static string? UrlExtractParameter(string url, string name)
    {
        if (Parse(url) is not { Query.Length: > 1 } uri)
            return null;
        foreach (var pair in uri.Query[1..].Split('&'))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            var key = WebUtility.UrlDecode(at < 0 ? pair : pair[..at]);
            if (key == name)
                return at < 0 ? "" : WebUtility.UrlDecode(pair[(at + 1)..]);
        }
        return null;
    }

    private static Uri? Parse(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;
}
