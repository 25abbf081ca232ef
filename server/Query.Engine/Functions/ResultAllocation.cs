using System.Text;
using Query.Engine.Limits;

namespace Query.Engine.Functions;

/// <summary>
/// The one place where functions allocate results whose size the caller controls (bytes, arrays built from
/// arguments, padded or repeated text): the size is checked against <see cref="ValueSizeLimits"/> before any
/// memory is taken, so one cap (MaxValueBytes) covers every such function. Beyond it a call fails with 54000
/// instead of exhausting memory.
/// </summary>
public static class ResultAllocation
{
    public static byte[] Bytes(long length)
    {
        ValueSizeLimits.CheckBytes(length);
        return new byte[length];
    }

    public static object?[] Items(long count)
    {
        ValueSizeLimits.CheckArray(count);
        return new object?[count];
    }

    public static StringBuilder Text(long length)
    {
        ValueSizeLimits.CheckString(length);
        return new StringBuilder((int)length);
    }
}
