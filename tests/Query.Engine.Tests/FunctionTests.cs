using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Types;
using Query.Grammar;

namespace Query.Engine.Tests;

/// <summary>
/// ksqlDB's scalar functions, one row per overload: the expression, then its result as text (ValueText: JSON
/// for collections, \x-hex for BYTES, "NULL" for NULL). Expected values follow ksqlDB's documentation and the
/// QTT cases in the shared conformance folder (math.json, string.json, regex.json, ...).
/// </summary>
public sealed class FunctionTests
{
    private static readonly BindScope Scope = new("t", null,
        [
            new ColumnInfo("i", SqlType.Int), new ColumnInfo("s", SqlType.String),
            new ColumnInfo("a", new ArrayType(SqlType.Int)), new ColumnInfo("m", new MapType(SqlType.String,
                SqlType.Int)),
            new ColumnInfo("x", SqlType.Int),
        ],
        allowPseudoColumns: true);

    private static readonly object?[] Row =
    [
        5, "abc", new SqlArray([1, 2, null, 4]), new SqlMap(["a", "b"], [1, 2]), 100,
    ];

    public static string Eval(string expression)
    {
        var bound = new ExpressionBinder(Scope, new ParameterTypes()).Bind(SqlParser.ParseExpression(expression));
        var cells = new Cell[Row.Length];
        for (var i = 0; i < Row.Length; i++)
            cells[i] = Cell.FromObject(Row[i], Scope.Columns[i].Type);
        var output = new Cell[1];
        ExpressionCompiler<CellRow>.CompileProjection([bound])(new CellRow(cells), output);
        return ValueText.Format(output[0].ToObject(bound.Type), bound.Type);
    }

    public static string TypeOf(string expression) =>
        new ExpressionBinder(Scope, new ParameterTypes()).Bind(SqlParser.ParseExpression(expression)).Type.ToString();

    [Theory]
    [InlineData("ACOS(1)", "0")]
    [InlineData("ACOS(2)", "NaN")]
    [InlineData("ASIN(0)", "0")]
    [InlineData("ASIN(-2)", "NaN")]
    [InlineData("ATAN(0)", "0")]
    [InlineData("ATAN2(0, -1)", "3.141592653589793")]
    [InlineData("ATAN2(1, 0)", "1.5707963267948966")]
    [InlineData("COT(0)", "Infinity")]
    [InlineData("COT(-0.0E0)", "-Infinity")]
    [InlineData("COSH(0)", "1")]
    [InlineData("SINH(0)", "0")]
    [InlineData("TANH(0)", "0")]
    [InlineData("CBRT(27)", "3")]
    [InlineData("CBRT(-8)", "-2")]
    [InlineData("LN(0)", "-Infinity")]
    [InlineData("LN(-1)", "NaN")]
    [InlineData("LN(NULL)", "NULL")]
    [InlineData("SQRT(-1)", "NaN")]
    [InlineData("SQRT(4)", "2")]
    [InlineData("LOG(100)", "2")]
    [InlineData("LOG(2, 8)", "3")]
    [InlineData("LOG(10, 0)", "-Infinity")]
    [InlineData("LOG(1, 5)", "NaN")]
    [InlineData("LOG(-2, 5)", "NaN")]
    [InlineData("LOG(2, -5)", "NaN")]
    [InlineData("POWER(10, 400)", "Infinity")]
    [InlineData("ROUND(1.5E0)", "2")]
    [InlineData("ROUND(-1.5E0)", "-1")]
    [InlineData("ROUND(-1.7E0)", "-2")]
    [InlineData("ROUND(12345.678E0, 2)", "12345.68")]
    [InlineData("ROUND(12345.678E0, -1)", "12350")]
    [InlineData("ROUND(-12345.678E0, -2)", "-12300")]
    [InlineData("ROUND(111, -1)", "110")]
    [InlineData("ROUND(CAST(-1.5 AS DECIMAL(4, 2)))", "-1")]
    [InlineData("ROUND(CAST(2.345 AS DECIMAL(5, 3)), 2)", "2.35")]
    [InlineData("ROUND(5)", "5")]
    [InlineData("TRUNC(-1.7E0)", "-1")]
    [InlineData("TRUNC(12345.678E0, 2)", "12345.67")]
    [InlineData("TRUNC(12345.678E0, -1)", "12340")]
    [InlineData("TRUNC(CAST(-12345.678 AS DECIMAL(12, 7)), 1)", "-12345.6")]
    [InlineData("CEIL(I)", "5")]
    [InlineData("FLOOR(-1.5E0)", "-2")]
    [InlineData("SIGN(-3)", "-1")]
    [InlineData("SIGN(CAST(0 AS DECIMAL(3, 1)))", "0")]
    public void Numeric_functions_follow_ksqldb(string expression, string expected) =>
        Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Geo_distance_is_great_circle_km_or_miles()
    {
        var km = double.Parse(Eval("GEO_DISTANCE(37.4439, -122.1663, 51.5257, -0.1122)"),
            System.Globalization.CultureInfo.InvariantCulture);
        var miles = double.Parse(Eval("GEO_DISTANCE(37.4439, -122.1663, 51.5257, -0.1122, 'MILES')"),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(km, 8630, 8640);
        Assert.InRange(miles, 5360, 5370);
        Assert.Equal("0", Eval("GEO_DISTANCE(10, 10, 10, 10)"));
    }

    [Theory]
    [InlineData("GREATEST(DATE '2024-01-02', DATE '2023-05-06', NULL)", "2024-01-02")]
    [InlineData("LEAST(DATE '2024-01-02', DATE '2023-05-06')", "2023-05-06")]
    [InlineData("GREATEST(TIME '10:00:00', TIME '11:30:00')", "11:30:00")]
    [InlineData("GREATEST(DATE '2024-01-02', NULL, '2025-03-04')", "2025-03-04")]
    [InlineData("LEAST(TIMESTAMP '2024-01-01 00:00:00', '2022-06-14')", "2022-06-14 00:00:00")]
    [InlineData("LEAST(TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2020-01-01 10:00:00')", "2020-01-01 10:00:00")]
    [InlineData("GREATEST(1, 2.5, 2)", "2.5")]
    [InlineData("GREATEST(CAST(1.234 AS DECIMAL(9, 3)), CAST(1.5 AS DECIMAL(9, 3)))", "1.500")]
    [InlineData("LEAST(CAST(1.234 AS DECIMAL(9, 3)), 1.5)", "1.234")]
    [InlineData("SIGN(0.4)", "1")]
    [InlineData("GREATEST('a', 'c', 'b')", "c")]
    [InlineData("LEAST(NULL, NULL)", "NULL")]
    public void Greatest_and_least_cover_temporal_types(string expression, string expected) =>
        Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("INSTR('CORPORATE FLOOR', 'OR')", "2")]
    [InlineData("INSTR('CORPORATE FLOOR', 'OR', 3)", "5")]
    [InlineData("INSTR('CORPORATE FLOOR', 'OR', 3, 2)", "14")]
    [InlineData("INSTR('CORPORATE FLOOR', 'OR', -3)", "5")]
    [InlineData("INSTR('CORPORATE FLOOR', 'OR', -3, 2)", "2")]
    [InlineData("INSTR('CORPORATE FLOOR', 'MISSING')", "0")]
    [InlineData("INSTR('CORPORATE FLOOR', 'OR', 0)", "0")]
    [InlineData("INSTR(NULL, 'OR')", "NULL")]
    [InlineData("'a' + 'b'", "ab")]
    [InlineData("'prefix-' + S + '-postfix'", "prefix-abc-postfix")]
    [InlineData("'1' + 1", "2")]
    [InlineData("REGEXP_EXTRACT_ALL('test.', 'some_test_string_testabab')", "[\"test_\",\"testa\"]")]
    [InlineData("REGEXP_EXTRACT_ALL('test.', 'nothing')", "[]")]
    [InlineData("REGEXP_EXTRACT_ALL('(\\w+) (\\w*)', 'apurva mehta agavra ', 2)", "[\"mehta\",\"\"]")]
    [InlineData("REGEXP_EXTRACT('(.*) (.*)', 'hello there', 2)", "there")]
    [InlineData("REGEXP_SPLIT_TO_ARRAY('a1b22c', '[0-9]+')", "[\"a\",\"b\",\"c\"]")]
    [InlineData("REGEXP_SPLIT_TO_ARRAY('1a1', '1')", "[\"\",\"a\",\"\"]")]
    [InlineData("SPLIT_TO_MAP('apple:=green/cherry:=red', '/', ':=')", "{\"apple\":\"green\",\"cherry\":\"red\"}")]
    [InlineData("SPLIT_TO_MAP('a=1', '', '=')", "NULL")]
    [InlineData("MASK('My Test $123')", "Xx-Xxxx--nnn")]
    [InlineData("MASK('My Test $123', '*', NULL, '1', NULL)", "*y *est $111")]
    [InlineData("MASK_KEEP_LEFT('My Test $123', 4)", "My Txxx--nnn")]
    [InlineData("MASK_KEEP_RIGHT('My Test $123', 4)", "Xx-Xxxx-$123")]
    [InlineData("MASK_LEFT('My Test $123', 4)", "Xx-Xest $123")]
    [InlineData("MASK_RIGHT('My Test $123', 4)", "My Test -nnn")]
    [InlineData("MASK(NULL)", "NULL")]
    [InlineData("CHR(75)", "K")]
    [InlineData("CHR('\\u004b')", "K")]
    [InlineData("CHR('nope')", "NULL")]
    [InlineData("LPAD('Foo', 7, 'Bar')", "BarBFoo")]
    [InlineData("RPAD('', 2, 'Bar')", "Ba")]
    [InlineData("LPAD('Foo', -1, 'Bar')", "NULL")]
    [InlineData("SPLIT('', ',')", "[\"\"]")]
    [InlineData("ELT(2, 'a', 'b')", "b")]
    [InlineData("ELT(3, 'a', 'b')", "NULL")]
    [InlineData("FIELD('b', 'a', 'b')", "2")]
    [InlineData("FIELD(NULL, 'a')", "0")]
    [InlineData("URL_EXTRACT_HOST('http://www.test.com:8080/nested/path?query=val#frag')", "www.test.com")]
    [InlineData("URL_EXTRACT_PORT('http://www.test.com:8080/nested/path')", "8080")]
    [InlineData("URL_EXTRACT_PORT('http://www.test.com/nested/path')", "NULL")]
    [InlineData("URL_EXTRACT_PATH('http://www.test.com/nested/path?q=1')", "/nested/path")]
    [InlineData("URL_EXTRACT_PROTOCOL('https://x.org')", "https")]
    [InlineData("URL_EXTRACT_QUERY('http://x.org/p?a=1&b=2#f')", "a=1&b=2")]
    [InlineData("URL_EXTRACT_FRAGMENT('http://x.org/p?a=1#frag')", "frag")]
    [InlineData("URL_EXTRACT_PARAMETER('http://x.org/p?a=1&b=x%20y', 'b')", "x y")]
    [InlineData("URL_EXTRACT_PARAMETER('http://x.org/p?a=1', 'c')", "NULL")]
    [InlineData("URL_ENCODE_PARAM('a b&c')", "a+b%26c")]
    [InlineData("URL_DECODE_PARAM('a+b%26c')", "a b&c")]
    public void String_functions_follow_ksqldb(string expression, string expected) =>
        Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("TO_BYTES('abc', 'utf8')", "\\x616263")]
    [InlineData("TO_BYTES('616263', 'hex')", "\\x616263")]
    [InlineData("TO_BYTES('YWJj', 'base64')", "\\x616263")]
    [InlineData("FROM_BYTES(TO_BYTES('abc', 'ascii'), 'hex')", "616263")]
    [InlineData("FROM_BYTES(TO_BYTES('abc', 'utf8'), 'BASE64')", "YWJj")]
    [InlineData("ENCODE('616263', 'hex', 'utf8')", "abc")]
    [InlineData("ENCODE('abc', 'utf8', 'base64')", "YWJj")]
    [InlineData("LEN(TO_BYTES('abcd', 'utf8'))", "4")]
    [InlineData("SUBSTRING(TO_BYTES('some_string', 'utf8'), 6)", "\\x737472696e67")]
    [InlineData("SUBSTRING(TO_BYTES('some_string', 'utf8'), 6, 3)", "\\x737472")]
    [InlineData("CONCAT(TO_BYTES('ab', 'utf8'), NULL, TO_BYTES('c', 'utf8'))", "\\x616263")]
    [InlineData("CONCAT_WS(TO_BYTES('-', 'utf8'), TO_BYTES('a', 'utf8'), TO_BYTES('b', 'utf8'))", "\\x612d62")]
    [InlineData("LPAD(TO_BYTES('a', 'utf8'), 3, TO_BYTES('b', 'utf8'))", "\\x626261")]
    [InlineData("SPLIT(TO_BYTES('a,b', 'utf8'), TO_BYTES(',', 'utf8'))", "[\"YQ==\",\"Yg==\"]")]
    [InlineData("INT_FROM_BYTES(TO_BYTES('AAAH5Q==', 'base64'))", "2021")]
    [InlineData("INT_FROM_BYTES(TO_BYTES('E5070000', 'hex'), 'LITTLE_ENDIAN')", "2021")]
    [InlineData("INT_FROM_BYTES(TO_BYTES('AAAH', 'base64'))", "NULL")]
    [InlineData("BIGINT_FROM_BYTES(TO_BYTES('AAAAASoF8gA=', 'base64'), 'BIG_ENDIAN')", "5000000000")]
    [InlineData("DOUBLE_FROM_BYTES(TO_BYTES('QICm/ZvJ9YI=', 'base64'))", "532.8738323")]
    [InlineData("DOUBLE_FROM_BYTES(TO_BYTES('QICm/ZvJ9YI=', 'base64'), 'MIDDLE')", "NULL")]
    public void Bytes_functions_follow_ksqldb(string expression, string expected) =>
        Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("TRANSFORM(A, x => x * 2)", "[2,4,null,8]")]
    [InlineData("TRANSFORM(A, x => x + I)", "[6,7,null,9]")]
    [InlineData("TRANSFORM(A, i => i + 1)", "[2,3,null,5]")]
    [InlineData("TRANSFORM(ARRAY['a', 'b'], s => UCASE(s))", "[\"A\",\"B\"]")]
    [InlineData("FILTER(A, x => x > 1)", "[2,4]")]
    [InlineData("FILTER(A, x => x IS NULL)", "[null]")]
    [InlineData("REDUCE(A, 0, (s, x) => s + COALESCE(x, 0))", "7")]
    [InlineData("REDUCE(A, 0, (s, x) => s + x)", "NULL")]
    [InlineData("REDUCE(A, CAST(NULL AS INT), (s, x) => 1)", "NULL")]
    [InlineData("REDUCE(ARRAY[CAST(1 AS BIGINT), 2], 0, (s, x) => s + x)", "3")]
    [InlineData("TRANSFORM(M, (k, v) => UCASE(k), (k, v) => v * 10)", "{\"A\":10,\"B\":20}")]
    [InlineData("FILTER(M, (k, v) => v > 1)", "{\"b\":2}")]
    [InlineData("REDUCE(M, '', (s, k, v) => s + k)", "ab")]
    [InlineData("TRANSFORM(TRANSFORM(A, x => x + 1), y => FILTER(ARRAY[y, 0], z => z > 2))",
        "[[],[3],[],[5]]")]
    [InlineData("TRANSFORM(CAST(NULL AS ARRAY<INT>), x => x)", "NULL")]
    public void Lambda_functions_transform_filter_and_reduce(string expression, string expected) =>
        Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("ARRAY_CONCAT(ARRAY[1, 2, 3, 1, 2], ARRAY[4, 1])", "[1,2,3,1,2,4,1]")]
    [InlineData("ARRAY_CONCAT(NULL, ARRAY[4, 1])", "[4,1]")]
    [InlineData("ARRAY_EXCEPT(ARRAY[1, 2, 3, 1, 2], ARRAY[2, 3])", "[1]")]
    [InlineData("ARRAY_EXCEPT(ARRAY['apple', 'apple', NULL, 'cherry'], ARRAY['cherry'])", "[\"apple\",null]")]
    [InlineData("ARRAY_INTERSECT(ARRAY[1, 2, 3, 1, 2], ARRAY[2, 1])", "[1,2]")]
    [InlineData("ARRAY_UNION(ARRAY[1, 2, 3, 1, 2], ARRAY[4, 1])", "[1,2,3,4]")]
    [InlineData("ARRAY_MAX(ARRAY[-1, 2, NULL, 0])", "2")]
    [InlineData("ARRAY_MIN(ARRAY['Foo', 'Bar', NULL, 'baz'])", "Bar")]
    [InlineData("ARRAY_MAX(ARRAY[CAST(NULL AS INT)])", "NULL")]
    [InlineData("ARRAY_REMOVE(ARRAY[1, 2, 3, 2, 1], 2)", "[1,3,1]")]
    [InlineData("ARRAY_REMOVE(ARRAY['Foo', NULL, 'baz'], NULL)", "[\"Foo\",\"baz\"]")]
    [InlineData("ARRAY_SORT(ARRAY[-1, 2, NULL, 0])", "[-1,0,2,null]")]
    [InlineData("ARRAY_SORT(ARRAY['Foo', 'Bar', NULL, 'baz'], 'desc')", "[\"baz\",\"Foo\",\"Bar\",null]")]
    [InlineData("ARRAY_SORT(ARRAY[1], 'sideways')", "NULL")]
    [InlineData("ARRAY_JOIN(ARRAY[1, 2])", "1,2")]
    [InlineData("ARRAY_JOIN(ARRAY[TRUE, NULL, FALSE], '|')", "true||false")]
    [InlineData("ARRAY_JOIN(ARRAY[1.5E0, 2E0], ';')", "1.5;2")]
    [InlineData("SLICE(ARRAY[1, 2, 3, 4], 2, 3)", "[2,3]")]
    [InlineData("SLICE(ARRAY[1, 2, 3, 4], 3, NULL)", "[3,4]")]
    [InlineData("GENERATE_SERIES(1, 5, 2)", "[1,3,5]")]
    [InlineData("GENERATE_SERIES(3, 1)", "[3,2,1]")]
    [InlineData("GENERATE_SERIES(CAST(1 AS BIGINT), 3)", "[1,2,3]")]
    [InlineData("AS_MAP(ARRAY['a', 'b'], ARRAY[1, 2])", "{\"a\":1,\"b\":2}")]
    [InlineData("MAP_UNION(MAP('apple' := 10, 'banana' := 20), MAP('apple' := 50))", "{\"apple\":50,\"banana\":20}")]
    [InlineData("ENTRIES(MAP('b' := 2, 'a' := 1), TRUE)", "[{\"K\":\"a\",\"V\":1},{\"K\":\"b\",\"V\":2}]")]
    [InlineData("ARRAY_LENGTH(A)", "4")]
    public void Collection_functions_follow_ksqldb(string expression, string expected) =>
        Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("TO_JSON_STRING(1)", "1")]
    [InlineData("TO_JSON_STRING('abc')", "\"abc\"")]
    [InlineData("TO_JSON_STRING(NULL)", "null")]
    [InlineData("TO_JSON_STRING(DATE '2021-10-11')", "\"2021-10-11\"")]
    [InlineData("TO_JSON_STRING(ARRAY[1, 2, 3])", "[1,2,3]")]
    [InlineData("TO_JSON_STRING(STRUCT(id := 1, name := 'A'))", "{\"id\":1,\"name\":\"A\"}")]
    [InlineData("JSON_CONCAT('{\"a\": 1}', '{\"b\": 2}')", "{\"a\":1,\"b\":2}")]
    [InlineData("JSON_CONCAT('[1, 2]', '3')", "[1,2,3]")]
    [InlineData("JSON_CONCAT('abc', '[1]')", "NULL")]
    [InlineData("JSON_RECORDS('{\"a\": \"abc\", \"d\": 1}')", "{\"a\":\"\\u0022abc\\u0022\",\"d\":\"1\"}")]
    [InlineData("JSON_ITEMS('[1, {\"a\": 2}]')", "[\"1\",\"{\\u0022a\\u0022:2}\"]")]
    [InlineData("JSON_ARRAY_CONTAINS('[1, 2, 3]', 3)", "true")]
    [InlineData("JSON_ARRAY_CONTAINS('[\"a\"]', 'b')", "false")]
    [InlineData("JSON_ARRAY_CONTAINS('nope', 1)", "false")]
    public void Json_functions_follow_ksqldb(string expression, string expected) =>
        Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("PARSE_DATE('abcd', 'yyyy-MM-dd')", "NULL")]
    [InlineData("PARSE_DATE('2021-10-11', 'yyyy-MM-dd')", "2021-10-11")]
    [InlineData("PARSE_DATE('2003-12-24-01-01', 'yyyy-MM-dd')", "2003-12-24")]   // ksqlDB ignores trailing text
    [InlineData("PARSE_DATE('2004', 'yyyy-MM-dd')", "NULL")]
    [InlineData("PARSE_TIMESTAMP('abcd', 'yyyy-MM-dd')", "NULL")]
    [InlineData("PARSE_TIME('13:25', 'HH:mm')", "13:25:00")]
    [InlineData("PARSE_TIME('xx', 'HH:mm')", "NULL")]
    [InlineData("FROM_DAYS(1)", "1970-01-02")]
    [InlineData("UNIX_DATE(DATE '1970-01-11')", "10")]
    [InlineData("DATEADD(DAYS, 3, DATE '2024-01-30')", "2024-02-02")]
    [InlineData("DATESUB('DAYS', 1, DATE '2024-03-01')", "2024-02-29")]
    [InlineData("DATEADD(HOURS, 25, DATE '2024-01-01')", "2024-01-02")]
    [InlineData("TIMEADD(HOURS, 3, TIME '23:00:00')", "02:00:00")]
    [InlineData("TIMESUB(MINUTES, 30, TIME '00:10:00')", "23:40:00")]
    [InlineData("TIMESTAMPSUB(SECONDS, 1, TIMESTAMP '2024-01-01 00:00:00')", "2023-12-31 23:59:59")]
    [InlineData("TIMESTAMPADD(DAYS, 1, TIMESTAMP '2024-01-01 00:00:00')", "2024-01-02 00:00:00")]
    [InlineData("STRINGTODATE('2021-10-11', 'yyyy-MM-dd')", "18911")]
    [InlineData("DATETOSTRING(18911, 'yyyy-MM-dd')", "2021-10-11")]
    public void Date_and_time_functions_follow_ksqldb(string expression, string expected) =>
        Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("GREATEST()", SqlState.UndefinedFunction)]
    [InlineData("LEAST()", SqlState.UndefinedFunction)]
    [InlineData("TO_BYTES('abc', 'ebcdic')", SqlState.InvalidParameterValue)]
    [InlineData("TO_BYTES('zz', 'hex')", SqlState.InvalidTextRepresentation)]
    [InlineData("GENERATE_SERIES(1, 5, 0)", SqlState.InvalidParameterValue)]
    [InlineData("GENERATE_SERIES(1, 5, -1)", SqlState.InvalidParameterValue)]
    [InlineData("MASK_LEFT('abc', -1)", SqlState.InvalidParameterValue)]
    [InlineData("GEO_DISTANCE(0, 0, 1, 1, 'parsecs')", SqlState.InvalidParameterValue)]
    [InlineData("DATEADD(FORTNIGHTS, 1, DATE '2024-01-01')", SqlState.UndefinedColumn)]
    [InlineData("DATEADD('FORTNIGHTS', 1, DATE '2024-01-01')", SqlState.InvalidParameterValue)]
    [InlineData("TRANSFORM(A, (x, y) => x)", SqlState.UndefinedFunction)]
    [InlineData("TRANSFORM(A)", SqlState.UndefinedFunction)]
    [InlineData("FILTER(I, x => x)", SqlState.UndefinedFunction)]
    [InlineData("ARRAY_MAX(ARRAY[ARRAY[1]])", SqlState.UndefinedFunction)]
    [InlineData("CHR(-1)", SqlState.InvalidParameterValue)]
    [InlineData("GENERATE_SERIES(0, 2000000000)", SqlState.ProgramLimitExceeded)]
    [InlineData("REPEAT('ab', 1000000000)", SqlState.ProgramLimitExceeded)]
    [InlineData("LPAD('a', 2000000000, 'b')", SqlState.ProgramLimitExceeded)]
    [InlineData("EXPLODE(A)", SqlState.FeatureNotSupported)]
    [InlineData("CUBE_EXPLODE(A)", SqlState.FeatureNotSupported)]
    public void Bad_calls_answer_a_sql_error(string expression, string sqlState) =>
        Assert.Equal(sqlState, Assert.Throws<SqlException>(() => Eval(expression)).SqlState);

    [Theory]
    [InlineData("ROUND(1.5E0)", "BIGINT")]
    [InlineData("ROUND(1.5E0, 1)", "DOUBLE")]
    [InlineData("ROUND(I)", "INTEGER")]
    [InlineData("ROUND(CAST(1 AS DECIMAL(20, 5)))", "DECIMAL(15, 0)")]
    [InlineData("ROUND(CAST(1 AS DECIMAL(20, 5)), 2)", "DECIMAL(20, 5)")]
    [InlineData("TRUNC(CAST(1 AS BIGINT))", "BIGINT")]
    [InlineData("ABS(CAST(1 AS DECIMAL(5, 2)))", "DECIMAL(5, 2)")]
    [InlineData("FLOOR(I)", "INTEGER")]
    [InlineData("ARRAY_MAX(A)", "INTEGER")]
    [InlineData("TRANSFORM(A, x => CAST(x AS STRING))", "ARRAY<STRING>")]
    [InlineData("GREATEST(DATE '2024-01-02', DATE '2023-05-06')", "DATE")]
    [InlineData("GREATEST(CAST(1 AS DECIMAL(9, 3)), NULL)", "DECIMAL(9, 3)")]
    [InlineData("GREATEST(CAST(1 AS DECIMAL(9, 3)), CAST(1 AS DECIMAL(10, 6)))", "DECIMAL(12, 6)")]
    [InlineData("TO_BYTES('a', 'utf8')", "BYTES")]
    public void Result_types_follow_ksqldb(string expression, string type) =>
        Assert.Equal(type, TypeOf(expression));
}
