using Query.Engine.Errors;

namespace Query.Engine.Limits;

/// <summary>
/// The cap on one value that a function or operator builds (REPEAT, LPAD, CONCAT, <c>||</c>, REPLACE, SPLIT, array
/// functions): each computes the size of its result first and calls a <c>Check…</c> here before allocating, so
/// <c>REPEAT('x', 2000000000)</c> is a 54000 error in microseconds instead of gigabytes of garbage. Strings count
/// UTF-16 code units (each at least one byte when sent), BYTES count bytes, arrays count 8 bytes per element.
/// </summary>
/// <remarks>
/// Process-wide because functions are static methods compiled into query delegates with no context argument;
/// <see cref="QueryEngine.Open"/> sets it from <see cref="EngineOptions.MaxValueBytes"/> (one engine per process in
/// the server). .NET strings cannot pass about 2^30 characters, so that is the ceiling whatever is configured.
/// </remarks>
public static class ValueSizeLimits
{
    /// <summary>1 GiB, PostgreSQL's limit for one field value.</summary>
    public const long DefaultMaxValueBytes = 1L << 30;

    // string's own maximum length in .NET (a larger one throws OutOfMemoryException).
    private const long MaxStringLength = 0x3FFFFFDF;

    private static long _maxValueBytes = DefaultMaxValueBytes;

    public static long MaxValueBytes
    {
        get => Volatile.Read(ref _maxValueBytes);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1024);
            Volatile.Write(ref _maxValueBytes, value);
        }
    }

    private static int _maxInListItems = 100_000;

    /// <summary>Most items in one <c>IN (...)</c> list; the binder answers 54000 past it.</summary>
    public static int MaxInListItems
    {
        get => Volatile.Read(ref _maxInListItems);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _maxInListItems, value);
        }
    }

    /// <summary>Throws 54000 unless a string of <paramref name="length"/> UTF-16 code units is allowed.</summary>
    public static void CheckString(long length)
    {
        if (length > Math.Min(MaxValueBytes, MaxStringLength))
            throw TooLarge("string", length, "characters");
    }

    public static void CheckBytes(long length)
    {
        if (length > Math.Min(MaxValueBytes, Array.MaxLength))
            throw TooLarge("bytes value", length, "bytes");
    }

    public static void CheckArray(long count)
    {
        if (count > Math.Min(MaxValueBytes / 8, Array.MaxLength))
            throw TooLarge("array", count, "elements");
    }

    /// <summary><c>a || b</c> with the check first.</summary>
    public static string Concat(string left, string right)
    {
        CheckString((long)left.Length + right.Length);
        return string.Concat(left, right);
    }

    private static SqlException TooLarge(string what, long size, string unit) =>
        new(SqlState.ProgramLimitExceeded, "value too large",
            $"the {what} would have {size:N0} {unit}; the limit is {MaxValueBytes:N0} bytes",
            "raise MaxValueBytes, or build smaller values");
}
