using Query.Engine.Errors;
using Query.Engine.Functions;

namespace Query.Engine.Execution;

/// <summary>TIMESTAMP_FORMAT: a STRING row-time column parsed with its Java pattern (UTC), as ksqlDB does.</summary>
internal static class RowTimeText
{
    /// <summary>Epoch milliseconds, or null when the text does not match the pattern.</summary>
    public static long? Parse(string text, string format)
    {
        try
        {
            return TimeFunctions.ParseTimestamp(text, format);
        }
        catch (SqlException)
        {
            return null;
        }
    }
}
