using System.Globalization;

namespace Query.Storage.Tests;

/// <summary>
/// An append Query.CrashHarness acknowledged: <c>A baseOffset count run task sequence .</c>, or
/// <c>A partition baseOffset count run task sequence .</c> from a workload over several partitions (Partition is 0
/// in the first form). <see cref="CrashLogChecks"/> proves that every one reads back.
/// </summary>
internal readonly record struct CrashAck(int Partition, long BaseOffset, int Count, int Run, int Task, long Sequence)
{
    /// <summary>Parses an acknowledgement line of the form <paramref name="partitioned"/> says; false for any other
    /// line, a cut one included.</summary>
    public static bool TryParse(string line, bool partitioned, out CrashAck ack)
    {
        ack = default;
        var parts = line.Split(' ');
        var first = partitioned ? 2 : 1;   // where baseOffset stands
        if (parts.Length != first + 6 || parts[0] != "A" || parts[^1] != ".")
            return false;
        static long N(string text) => long.Parse(text, CultureInfo.InvariantCulture);
        ack = new CrashAck(partitioned ? (int)N(parts[1]) : 0, N(parts[first]), (int)N(parts[first + 1]),
            (int)N(parts[first + 2]), (int)N(parts[first + 3]), N(parts[first + 4]));
        return true;
    }
}
