using Query.Engine.Types;

namespace Query.Engine.Functions;

public static partial class FunctionRegistry
{
    private static void AddStrings(Action<FunctionDefinition> add)
    {
        var t = typeof(StringFunctions);
        var b = typeof(BytesFunctions);
        add(F("LEN", "STRING", "Length of a string in characters, or of BYTES in bytes.")
            .Fixed(t, "Len", I, S).Fixed(b, "Len", I, By));
        add(F("LENGTH", "STRING", "Length of a string in characters, or of BYTES in bytes.")
            .Fixed(t, "Len", I, S).Fixed(b, "Len", I, By));
        add(F("UCASE", "STRING", "Upper case.").Fixed(t, "Upper", S, S));
        add(F("UPPER", "STRING", "Upper case.").Fixed(t, "Upper", S, S));
        add(F("LCASE", "STRING", "Lower case.").Fixed(t, "Lower", S, S));
        add(F("LOWER", "STRING", "Lower case.").Fixed(t, "Lower", S, S));
        add(F("TRIM", "STRING", "Removes leading and trailing whitespace.").Fixed(t, "Trim", S, S));
        add(F("LTRIM", "STRING", "Removes leading whitespace.").Fixed(t, "LTrim", S, S));
        add(F("RTRIM", "STRING", "Removes trailing whitespace.").Fixed(t, "RTrim", S, S));
        add(F("REVERSE", "STRING", "Reverses a string.").Fixed(t, "Reverse", S, S));
        add(F("MD5", "STRING", "The MD5 hash of the string's UTF-8 bytes, as 32 lower-case hex digits.")
            .Fixed(t, "Md5", S, S));
        add(F("SUBSTRING", "STRING", "Substring (or sub-BYTES) from a 1-based position, optionally of a length.")
            .Fixed(t, "Substring", S, S, I).Fixed(t, "Substring", S, S, I, I)
            .Fixed(b, "Substring", By, By, I).Fixed(b, "Substring", By, By, I, I));
        add(F("CONCAT", "STRING", "Concatenates strings (or BYTES), skipping NULLs.")
            .Variadic(t, "Concat", S, nullAware: true, [], S).Variadic(b, "Concat", By, nullAware: true, [], By));
        add(F("CONCAT_WS", "STRING", "Concatenates with a separator, skipping NULLs; NULL separator gives NULL.")
            .Variadic(t, "ConcatWs", S, nullAware: true, [S], S)
            .Variadic(b, "ConcatWs", By, nullAware: true, [By], By));
        add(F("REPLACE", "STRING", "Replaces every occurrence of a substring.").Fixed(t, "Replace", S, S, S, S));
        add(F("INSTR", "STRING", "1-based position of a substring (from a position, n-th occurrence), 0 if absent.")
            .Fixed(t, "Instr", I, S, S).Fixed(t, "Instr", I, S, S, I).Fixed(t, "Instr", I, S, S, I, I));
        add(F("LPAD", "STRING", "Left-pads (or truncates) to a length; NULL for empty padding or a negative length.")
            .Fixed(t, "LPad", S, S, I, S).Fixed(b, "LPad", By, By, I, By));
        add(F("RPAD", "STRING", "Right-pads (or truncates) to a length; NULL for empty padding or a negative length.")
            .Fixed(t, "RPad", S, S, I, S).Fixed(b, "RPad", By, By, I, By));
        add(F("INITCAP", "STRING", "Capitalizes each word.").Fixed(t, "InitCap", S, S));
        add(F("SPLIT", "STRING", "Splits a string (or BYTES) into an array by a delimiter.")
            .Fixed(t, "Split", new ArrayType(S), S, S).Fixed(b, "Split", new ArrayType(By), By, By));
        add(F("SPLIT_TO_MAP", "STRING", "Splits 'k1=v1/k2=v2' into a MAP by entry and key-value delimiters.")
            .Fixed(t, "SplitToMap", new MapType(S, S), S, S, S));
        add(F("CHR", "STRING",
                "The character of a code point (22023 if invalid), or of a '\\uXXXX' escape (else NULL).")
            .Fixed(t, "Chr", S, I).Fixed(t, "ChrText", S, S));
        add(F("ASCII", "STRING", "Code point of the first character.").Fixed(t, "Ascii", I, S));
        add(F("REPEAT", "STRING", "Repeats a string n times.").Fixed(t, "Repeat", S, S, I));
        AddRegex(add);
        AddMasks(add);
        AddUrls(add);
    }

    private static void AddRegex(Action<FunctionDefinition> add)
    {
        var r = typeof(RegexFunctions);
        add(F("REGEXP_EXTRACT", "STRING", "REGEXP_EXTRACT(pattern, s[, group]): the first match or its group.")
            .Fixed(r, "RegexpExtract", S, S, S).Fixed(r, "RegexpExtract", S, S, S, I));
        add(F("REGEXP_EXTRACT_ALL", "STRING", "REGEXP_EXTRACT_ALL(pattern, s[, group]): every match or its group.")
            .Fixed(r, "RegexpExtractAll", new ArrayType(S), S, S)
            .Fixed(r, "RegexpExtractAll", new ArrayType(S), S, S, I));
        add(F("REGEXP_REPLACE", "STRING", "Replaces every regex match.").Fixed(r, "RegexpReplace", S, S, S, S));
        add(F("REGEXP_SPLIT_TO_ARRAY", "STRING", "Splits a string around regex matches.")
            .Fixed(r, "RegexpSplitToArray", new ArrayType(S), S, S));
    }

    private static void AddMasks(Action<FunctionDefinition> add)
    {
        var m = typeof(MaskFunctions);
        add(F("MASK", "STRING", "Masks letters to X / x, digits to n, others to - (or the given characters).")
            .Fixed(m, "Mask", S, nullAware: true, S).Fixed(m, "Mask", S, nullAware: true, S, S, S, S, S));
        (string Name, string Method, string Description)[] ranged =
        [
            ("MASK_KEEP_LEFT", "MaskKeepLeft", "Masks all but the first n characters."),
            ("MASK_KEEP_RIGHT", "MaskKeepRight", "Masks all but the last n characters."),
            ("MASK_LEFT", "MaskLeft", "Masks the first n characters."),
            ("MASK_RIGHT", "MaskRight", "Masks the last n characters."),
        ];
        foreach (var (name, method, description) in ranged)
            add(F(name, "STRING", description).Fixed(m, method, S, nullAware: true, S, I)
                .Fixed(m, method, S, nullAware: true, S, I, S, S, S, S));
    }

    private static void AddUrls(Action<FunctionDefinition> add)
    {
        var u = typeof(UrlFunctions);
        add(F("URL_ENCODE_PARAM", "URL", "Escapes text for a URL query parameter.").Fixed(u, "UrlEncodeParam", S, S));
        add(F("URL_DECODE_PARAM", "URL", "Unescapes a URL query parameter.").Fixed(u, "UrlDecodeParam", S, S));
        add(F("URL_EXTRACT_FRAGMENT", "URL", "The fragment of a URL.").Fixed(u, "UrlExtractFragment", S, S));
        add(F("URL_EXTRACT_HOST", "URL", "The host of a URL.").Fixed(u, "UrlExtractHost", S, S));
        add(F("URL_EXTRACT_PARAMETER", "URL", "The decoded value of a named query parameter.")
            .Fixed(u, "UrlExtractParameter", S, S, S));
        add(F("URL_EXTRACT_PATH", "URL", "The path of a URL.").Fixed(u, "UrlExtractPath", S, S));
        add(F("URL_EXTRACT_PORT", "URL", "The explicit port of a URL.").Fixed(u, "UrlExtractPort", I, S));
        add(F("URL_EXTRACT_PROTOCOL", "URL", "The scheme of a URL.").Fixed(u, "UrlExtractProtocol", S, S));
        add(F("URL_EXTRACT_QUERY", "URL", "The decoded query of a URL.").Fixed(u, "UrlExtractQuery", S, S));
    }

    private static void AddBytes(Action<FunctionDefinition> add)
    {
        var b = typeof(BytesFunctions);
        add(F("TO_BYTES", "BYTES", "Text in 'hex', 'utf8', 'ascii' or 'base64' to BYTES.")
            .Fixed(b, "ToBytes", By, S, S));
        add(F("FROM_BYTES", "BYTES", "BYTES to text in 'hex', 'utf8', 'ascii' or 'base64'.")
            .Fixed(b, "FromBytes", S, By, S));
        add(F("ENCODE", "STRING", "ENCODE(s, from, to): re-encodes text between hex, utf8, ascii and base64.")
            .Fixed(b, "Recode", S, S, S, S));
        add(F("INT_FROM_BYTES", "BYTES", "4 BYTES to an INTEGER ('BIG_ENDIAN' default or 'LITTLE_ENDIAN').")
            .Fixed(b, "IntFromBytes", I, By).Fixed(b, "IntFromBytes", I, By, S));
        add(F("BIGINT_FROM_BYTES", "BYTES", "8 BYTES to a BIGINT ('BIG_ENDIAN' default or 'LITTLE_ENDIAN').")
            .Fixed(b, "BigIntFromBytes", L, By).Fixed(b, "BigIntFromBytes", L, By, S));
        add(F("DOUBLE_FROM_BYTES", "BYTES", "8 BYTES to a DOUBLE ('BIG_ENDIAN' default or 'LITTLE_ENDIAN').")
            .Fixed(b, "DoubleFromBytes", D, By).Fixed(b, "DoubleFromBytes", D, By, S));
    }
}
