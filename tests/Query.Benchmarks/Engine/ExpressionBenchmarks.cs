using System.Buffers;
using BenchmarkDotNet.Attributes;
using Query.Engine.Binding;
using Query.Engine.Execution;
using Query.Engine.Format;
using Query.Engine.Types;
using Query.Grammar;

namespace Query.Benchmarks;

/// <summary>
/// The scan hot path without storage: load an encoded 6-column row into the cursor, run the compiled WHERE, and
/// project two columns of the matches. Per-row allocation must be 0 B (strings are compared as UTF-8).
/// Run: <c>dotnet run -c Release --project tests/Query.Benchmarks -- --filter '*ExpressionBenchmarks*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class ExpressionBenchmarks
{
    private const int Rows = 10_000;
    private static readonly SqlType[] Types =
        [SqlType.Timestamp, SqlType.Int, SqlType.String, SqlType.Double, SqlType.String, SqlType.Boolean];
    private static readonly string[] Names = ["ts", "user_id", "page", "amount", "country", "flag"];

    private byte[][] _rows = [];
    private RecordCursor _cursor = null!;
    private Func<RecordCursor, bool> _numeric = null!;
    private Func<RecordCursor, bool> _text = null!;
    private Action<RecordCursor, Cell[]> _projection = null!;
    private readonly Cell[] _output = new Cell[2];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var buffer = new ArrayBufferWriter<byte>();
        _rows = new byte[Rows][];
        for (var i = 0; i < Rows; i++)
        {
            buffer.ResetWrittenCount();
            BinaryRowFormat.Write(buffer,
            [
                Cell.FromInt64(1_704_067_200_000 + i), Cell.FromInt64(random.Next(1, 1_000_000)),
                Cell.FromRef($"/shop/category-{i % 20:00}/product-{i % 1000:0000}/details"),
                Cell.FromDouble(random.NextDouble() * 1000), Cell.FromRef(i % 2 == 0 ? "NO" : "SE"),
                Cell.FromInt64(i & 1),
            ], Types);
            _rows[i] = buffer.WrittenSpan.ToArray();
        }
        var scope = new BindScope("events", null, Names.Select((n, i) => new ColumnInfo(n, Types[i])).ToList(), true);
        BoundExpr Bind(string sql) => new ExpressionBinder(scope,
            new ParameterTypes()).Bind(SqlParser.ParseExpression(sql));
        _numeric = ExpressionCompiler<RecordCursor>.CompilePredicate(Bind("amount > 900 AND user_id > 10"));
        _text = ExpressionCompiler<RecordCursor>.CompilePredicate(Bind("country = 'SE' AND flag"));
        _projection = ExpressionCompiler<RecordCursor>.CompileProjection([Bind("user_id"), Bind("amount * 2")]);
        _cursor = new RecordCursor(Types, Names, codec: null);
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public long NumericFilterAndProject() => Scan(_numeric);

    [Benchmark(OperationsPerInvoke = Rows)]
    public long StringFilterAndProject() => Scan(_text);

    private long Scan(Func<RecordCursor, bool> filter)
    {
        long matched = 0;
        for (var i = 0; i < _rows.Length; i++)
        {
            _cursor.Load(_rows[i], i, 0, 0);
            if (!filter(_cursor))
                continue;
            _projection(_cursor, _output);
            matched++;
        }
        return matched;
    }
}
