using System.Text;
using Query.Engine.Errors;

namespace Query.Engine.Functions;

/// <summary>
/// The one place where functions allocate results whose size the caller controls (bytes, arrays built from
/// arguments, padded or repeated text): the size is checked here before any memory is taken, so a single cap
/// covers every such function. Beyond the cap a call fails with 54000 instead of exhausting memory.
/// </summary>
public static class ResultAllocation
{
    /// <summary>
    /// The largest result a function may build, in elements (bytes, characters or array items): 16 Mi, so
    /// GENERATE_SERIES(0, 2000000000) or REPEAT('x', 2000000000) is an error, not an out-of-memory process.
    /// </summary>
    public static int MaxElements { get; set; } = DefaultMaxElements;

    public const int DefaultMaxElements = 16 * 1024 * 1024;

    public static byte[] Bytes(long length) => new byte[Check(length, "bytes")];

    public static object?[] Items(long count) => new object?[Check(count, "array elements")];

    public static StringBuilder Text(long length) => new(Check(length, "characters"));

    public static int Check(long size, string unit)
    {
        if (size < 0 || size > MaxElements)
            throw new SqlException(SqlState.ProgramLimitExceeded,
                $"function result of {size} {unit} exceeds the limit of {MaxElements}");
        return (int)size;
    }
}
