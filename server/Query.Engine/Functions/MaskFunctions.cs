namespace Query.Engine.Functions;

/// <summary>
/// MASK and its variants: upper-case letters become 'X', lower-case 'x', digits 'n' and anything else '-',
/// unless other mask characters are given; a NULL mask character leaves that class unmasked. Only the first
/// character of a mask argument counts.
/// </summary>
public static class MaskFunctions
{
    public static string? Mask(string? value) => Mask(value, "X", "x", "n", "-");

    public static string? Mask(string? value, string? upper, string? lower, string? digit, string? other) =>
        value is null ? null : Apply(value, 0, value.Length, upper, lower, digit, other);

    public static string? MaskKeepLeft(string? value, int? count) => MaskKeepLeft(value, count, "X", "x", "n", "-");

    public static string? MaskKeepLeft(string? value, int? count, string? upper, string? lower, string? digit,
        string? other) => Range(value, count, keep: true, left: true, upper, lower, digit, other);

    public static string? MaskKeepRight(string? value, int? count) => MaskKeepRight(value, count, "X", "x", "n", "-");

    public static string? MaskKeepRight(string? value, int? count, string? upper, string? lower, string? digit,
        string? other) => Range(value, count, keep: true, left: false, upper, lower, digit, other);

    public static string? MaskLeft(string? value, int? count) => MaskLeft(value, count, "X", "x", "n", "-");

    public static string? MaskLeft(string? value, int? count, string? upper, string? lower, string? digit,
        string? other) => Range(value, count, keep: false, left: true, upper, lower, digit, other);

    public static string? MaskRight(string? value, int? count) => MaskRight(value, count, "X", "x", "n", "-");

    public static string? MaskRight(string? value, int? count, string? upper, string? lower, string? digit,
        string? other) => Range(value, count, keep: false, left: false, upper, lower, digit, other);

    private static string? Range(string? value, int? count, bool keep, bool left, string? upper, string? lower,
        string? digit, string? other)
    {
        if (value is null || count is null)
            return null;
        if (count < 0)
            throw new Errors.SqlException(Errors.SqlState.InvalidParameterValue,
                "the number of characters to keep or mask must not be negative");
        var n = Math.Min(count.Value, value.Length);
        // Keeping the left n masks the rest on the right, and so on.
        var (start, end) = (keep, left) switch
        {
            (true, true) => (n, value.Length),
            (true, false) => (0, value.Length - n),
            (false, true) => (0, n),
            _ => (value.Length - n, value.Length),
        };
        return Apply(value, start, end, upper, lower, digit, other);
    }

    private static string Apply(string value, int start, int end, string? upper, string? lower, string? digit,
        string? other)
    {
        var chars = value.ToCharArray();
        for (var i = start; i < end; i++)
        {
            var c = chars[i];
            var mask = char.IsUpper(c) ? upper : char.IsLower(c) ? lower : char.IsDigit(c) ? digit : other;
            if (mask is { Length: > 0 })
                chars[i] = mask[0];
        }
        return new string(chars);
    }
}
