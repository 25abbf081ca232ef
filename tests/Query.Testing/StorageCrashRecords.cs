using System.Globalization;
using System.Text;

namespace Query.Testing;

/// <summary>
/// The records the crash harness appends, shared with the crash test so it can regenerate the exact bytes of
/// every acknowledged record. A value starts with its identity ("run/task/seq/index|") and is padded with
/// bytes derived from it to a length between 16 and 300.
/// </summary>
public static class StorageCrashRecords
{
    public static byte[] Value(int run, int task, long sequence, int index)
    {
        var identity = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{run}/{task}/{sequence}/{index}|"));
        // Not HashCode.Combine: it is seeded per process, and the test regenerates values in another process.
        var mixed = (run * 73856093L) ^ (task * 19349663L) ^ (sequence * 83492791L) ^ (index * 2654435761L);
        var hash = (uint)mixed ^ 0x9E3779B9u;
        var length = identity.Length + 16 + (int)(hash % 284);
        var value = new byte[length];
        identity.CopyTo(value, 0);
        for (var i = identity.Length; i < length; i++)
        {
            hash = (hash * 1664525u) + 1013904223u;
            value[i] = (byte)(hash >> 24);
        }
        return value;
    }

    /// <summary>Parses the identity prefix of a value; false when it is not a harness record.</summary>
    public static bool TryParseIdentity(ReadOnlySpan<byte> value, out (int Run, int Task, long Sequence,
        int Index) identity)
    {
        identity = default;
        var end = value.IndexOf((byte)'|');
        if (end < 0)
            return false;
        var parts = Encoding.ASCII.GetString(value[..end]).Split('/');
        return parts.Length == 4
            && int.TryParse(parts[0], CultureInfo.InvariantCulture, out identity.Run)
            && int.TryParse(parts[1], CultureInfo.InvariantCulture, out identity.Task)
            && long.TryParse(parts[2], CultureInfo.InvariantCulture, out identity.Sequence)
            && int.TryParse(parts[3], CultureInfo.InvariantCulture, out identity.Index);
    }
}
