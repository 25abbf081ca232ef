namespace Query.Engine.Functions;

/// <summary>
/// PostgreSQL's bit operators on integers (<c>&amp; | # ~ &lt;&lt; &gt;&gt;</c>), named after PostgreSQL's functions
/// behind them (<c>int4and</c>, ...). Shifts take the count modulo the width, as PostgreSQL does on x86-64.
/// </summary>
public static class BitFunctions
{
    public static int Int4And(int left, int right) => left & right;

    public static long Int8And(long left, long right) => left & right;

    public static int Int4Or(int left, int right) => left | right;

    public static long Int8Or(long left, long right) => left | right;

    public static int Int4Xor(int left, int right) => left ^ right;

    public static long Int8Xor(long left, long right) => left ^ right;

    public static int Int4Shl(int value, int count) => value << count;

    public static long Int8Shl(long value, int count) => value << count;

    public static int Int4Shr(int value, int count) => value >> count;

    public static long Int8Shr(long value, int count) => value >> count;

    public static int Int4Not(int value) => ~value;

    public static long Int8Not(long value) => ~value;
}
