using Query.Engine.Errors;

namespace Query.Engine.Types;

/// <summary>
/// Reads the text <see cref="SqlType.ToString"/> writes (and common PostgreSQL spellings), e.g.
/// <c>DECIMAL(10, 2)</c>, <c>ARRAY&lt;STRING&gt;</c>, <c>STRUCT&lt;`A` INTEGER&gt;</c>. The catalog file stores types
/// this way so it does not depend on the SQL grammar.
/// </summary>
public static class SqlTypeParser
{
    public static SqlType Parse(string text)
    {
        var position = 0;
        var type = ParseType(text, ref position);
        SkipSpace(text, ref position);
        if (position != text.Length)
            throw Invalid(text);
        return type;
    }

    /// <summary>Maps a scalar type name (ksqlDB or PostgreSQL spelling) to its type, or null.</summary>
    public static SqlType? ScalarByName(string name) => name.ToUpperInvariant() switch
    {
        "BOOLEAN" or "BOOL" => SqlType.Boolean,
        "INT" or "INTEGER" or "INT4" or "SMALLINT" or "INT2" => SqlType.Int,
        "BIGINT" or "INT8" => SqlType.BigInt,
        "DOUBLE" or "FLOAT8" or "FLOAT" or "REAL" or "FLOAT4" or "DOUBLE PRECISION" => SqlType.Double,
        "STRING" or "VARCHAR" or "TEXT" or "CHARACTER VARYING" or "CHAR" or "BPCHAR" => SqlType.String,
        "BYTES" or "BYTEA" => SqlType.Bytes,
        "TIMESTAMP" or "TIMESTAMPTZ" => SqlType.Timestamp,
        "DATE" => SqlType.Date,
        "TIME" => SqlType.Time,
        "DECIMAL" or "NUMERIC" => new DecimalType(DecimalType.MaxPrecision, 0),
        _ => null,
    };

    private static SqlType ParseType(string text, ref int position)
    {
        var name = ReadWord(text, ref position);
        if (name.Length == 0)
            throw Invalid(text);
        switch (name.ToUpperInvariant())
        {
            case "ARRAY":
                Expect(text, ref position, '<');
                var element = ParseType(text, ref position);
                Expect(text, ref position, '>');
                return new ArrayType(element);
            case "MAP":
                Expect(text, ref position, '<');
                var key = ParseType(text, ref position);
                Expect(text, ref position, ',');
                var value = ParseType(text, ref position);
                Expect(text, ref position, '>');
                return new MapType(key, value);
            case "STRUCT":
                return ParseStruct(text, ref position);
            case "DECIMAL" or "NUMERIC":
                return ParseDecimal(text, ref position);
        }
        return ScalarByName(name) ?? throw Invalid(text);
    }

    private static DecimalType ParseDecimal(string text, ref int position)
    {
        SkipSpace(text, ref position);
        if (position >= text.Length || text[position] != '(')
            return new DecimalType(DecimalType.MaxPrecision, 0);
        position++;
        var precision = ReadInteger(text, ref position);
        var scale = 0;
        SkipSpace(text, ref position);
        if (position < text.Length && text[position] == ',')
        {
            position++;
            scale = ReadInteger(text, ref position);
        }
        Expect(text, ref position, ')');
        return Decimal(precision, scale);
    }

    /// <summary>Validates DECIMAL(p, s) as ksqlDB does (1 &lt;= p &lt;= 38, 0 &lt;= s &lt;= p).</summary>
    public static DecimalType Decimal(int precision, int scale)
    {
        if (precision < 1 || precision > DecimalType.WideMaxPrecision)
            throw new SqlException(SqlState.InvalidParameterValue,
                $"DECIMAL precision {precision} must be between 1 and {DecimalType.WideMaxPrecision}");
        if (scale < 0 || scale > precision)
            throw new SqlException(SqlState.InvalidParameterValue,
                $"DECIMAL scale {scale} must be between 0 and precision {precision}");
        return new DecimalType(precision, scale);
    }

    private static StructType ParseStruct(string text, ref int position)
    {
        Expect(text, ref position, '<');
        var fields = new List<StructField>();
        SkipSpace(text, ref position);
        while (position < text.Length && text[position] != '>')
        {
            SkipSpace(text, ref position);
            string name;
            if (text[position] == '`')
            {
                var end = text.IndexOf('`', position + 1);
                if (end < 0)
                    throw Invalid(text);
                name = text[(position + 1)..end];
                position = end + 1;
            }
            else
            {
                name = ReadWord(text, ref position).ToUpperInvariant();
            }
            fields.Add(new StructField(name, ParseType(text, ref position)));
            SkipSpace(text, ref position);
            if (position < text.Length && text[position] == ',')
                position++;
            SkipSpace(text, ref position);
        }
        Expect(text, ref position, '>');
        return new StructType(new EquatableArray<StructField>([.. fields]));
    }

    private static string ReadWord(string text, ref int position)
    {
        SkipSpace(text, ref position);
        var start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
            position++;
        return text[start..position];
    }

    private static int ReadInteger(string text, ref int position) =>
        int.TryParse(ReadWord(text, ref position), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid(text);

    private static void Expect(string text, ref int position, char expected)
    {
        SkipSpace(text, ref position);
        if (position >= text.Length || text[position] != expected)
            throw Invalid(text);
        position++;
    }

    private static void SkipSpace(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
            position++;
    }

    private static SqlException Invalid(string text) =>
        new(SqlState.UndefinedObject, $"type \"{text}\" does not exist");
}
