using System.Text;
using Query.Engine.Errors;

namespace Query.Engine.Types;

/// <summary>
/// PostgreSQL's array input syntax, which every PostgreSQL client sends for array parameters and COPY writes:
/// <c>{1,2,NULL}</c>, <c>{"a b","c\"d",\,}</c>, nested <c>{{1,2},{3}}</c> for ARRAY&lt;ARRAY&lt;..&gt;&gt;, with an
/// optional bounds decoration <c>[1:3]={...}</c> (bounds are ignored: engine arrays are 1-based). Unquoted
/// elements are trimmed and <c>NULL</c> (any case) is SQL NULL; quoted and backslash-escaped text is taken as is.
/// Parsing follows the target type, so nesting can go no deeper than the type does (no unbounded recursion).
/// Elements are parsed as text-format values of the element type (MAP and STRUCT elements as JSON).
/// </summary>
public static class PgArrayLiteral
{
    /// <summary>True when <paramref name="text"/> is written in PostgreSQL's array syntax rather than JSON.</summary>
    public static bool IsArraySyntax(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty)
            return false;
        if (trimmed[0] == '{')
            return true;
        // "[1:3]={...}": a JSON array never has a ':' before its first ']' or '=' after it.
        int close = trimmed.IndexOf(']');
        return trimmed[0] == '[' && close > 0 && trimmed[..close].Contains(':') &&
            trimmed[(close + 1)..].TrimStart("[]:-0123456789").TrimStart().StartsWith('=');
    }

    public static SqlArray Parse(string text, ArrayType type)
    {
        var reader = new Reader(text, type);
        reader.SkipBounds();
        var value = reader.ReadArray(type);
        reader.SkipWhitespace();
        if (!reader.AtEnd)
            throw reader.Invalid();
        return value;
    }

    private ref struct Reader(string text, ArrayType type)
    {
        private readonly string _text = text;
        private readonly ArrayType _type = type;
        private int _at;

        public readonly bool AtEnd => _at >= _text.Length;

        public readonly SqlException Invalid() => SqlException.InvalidText(_type.ToString(), _text);

        public void SkipWhitespace()
        {
            while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
                _at++;
        }

        public void SkipBounds()
        {
            SkipWhitespace();
            if (AtEnd || _text[_at] != '[')
                return;
            int equals = _text.IndexOf('=', _at);
            if (equals < 0)
                throw Invalid();
            _at = equals + 1;
            SkipWhitespace();
        }

        public SqlArray ReadArray(ArrayType type)
        {
            SkipWhitespace();
            Expect('{');
            var items = new List<object?>();
            SkipWhitespace();
            if (Peek() == '}')
            {
                _at++;
                return new SqlArray([]);
            }
            while (true)
            {
                items.Add(ReadElement(type.Element));
                SkipWhitespace();
                char next = Peek();
                _at++;
                if (next == '}')
                    return new SqlArray([.. items]);
                if (next != ',')
                    throw Invalid();
            }
        }

        private object? ReadElement(SqlType element)
        {
            SkipWhitespace();
            if (Peek() == '{')
            {
                if (element is not ArrayType nested)
                    throw Invalid();
                return ReadArray(nested);
            }
            var (text, quoted) = ReadScalar();
            if (!quoted && text.Equals("NULL", StringComparison.OrdinalIgnoreCase))
                return null;
            if (element is ArrayType nestedType)
                return IsArraySyntax(text) ? Parse(text, nestedType) : ValueCast.ParseText(text, element);
            return ValueCast.ParseText(text, element);
        }

        /// <summary>A quoted or unquoted element; unquoted ones lose surrounding (unescaped) whitespace.</summary>
        private (string Text, bool Quoted) ReadScalar()
        {
            var value = new StringBuilder();
            bool quoted = false, inQuotes = false;
            int keptLength = 0;   // length up to the last escaped or quoted character: trailing blanks after it go
            while (true)
            {
                char c = Peek();
                if (inQuotes)
                {
                    _at++;
                    if (c == '"')
                        inQuotes = false;
                    else
                        value.Append(c == '\\' ? Escaped() : c);
                    keptLength = value.Length;
                    continue;
                }
                if (c is ',' or '}')
                    break;
                if (c is '{')
                    throw Invalid();
                _at++;
                if (c == '"')
                {
                    quoted = inQuotes = true;
                    continue;
                }
                value.Append(c == '\\' ? Escaped() : c);
                if (c == '\\' || !char.IsWhiteSpace(c))
                    keptLength = value.Length;
            }
            if (!quoted && value.Length == 0)
                throw Invalid();   // "{1,,2}": PostgreSQL refuses an empty unquoted element
            value.Length = keptLength;
            return (value.ToString(), quoted);
        }

        private char Escaped()
        {
            if (AtEnd)
                throw Invalid();
            return _text[_at++];
        }

        private readonly char Peek() => _at < _text.Length ? _text[_at] : throw Invalid();

        private void Expect(char expected)
        {
            if (Peek() != expected)
                throw Invalid();
            _at++;
        }
    }
}
