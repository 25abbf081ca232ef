using System.Text;
using Query.Engine.Types;
using Query.Storage;

namespace Query.Engine.Format;

/// <summary>A record's headers as the values of header columns.</summary>
public static class RecordHeaders
{
    /// <summary>
    /// <paramref name="key"/> null: every header as ARRAY&lt;STRUCT&lt;KEY, VALUE&gt;&gt; (an empty array without
    /// headers); else the value of the last header with that key, NULL when there is none.
    /// </summary>
    public static Cell Read(ReadOnlySpan<byte> rawHeaders, int headerCount, string? key)
    {
        if (key is null)
        {
            var items = new object?[headerCount];
            var count = 0;
            foreach (var header in new RecordHeaderEnumerator(rawHeaders, headerCount))
                items[count++] = new SqlStruct([Encoding.UTF8.GetString(header.KeyUtf8), header.Value.ToArray()]);
            return Cell.FromRef(new SqlArray(count == items.Length ? items : items[..count]));
        }
        var found = Cell.Null;
        var keyBytes = Encoding.UTF8.GetBytes(key);
        foreach (var header in new RecordHeaderEnumerator(rawHeaders, headerCount))
        {
            if (header.KeyUtf8.SequenceEqual(keyBytes))
                found = Cell.FromRef(header.Value.ToArray());
        }
        return found;
    }
}
