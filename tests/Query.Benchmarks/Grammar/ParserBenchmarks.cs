using BenchmarkDotNet.Attributes;
using Query.Grammar;
using Query.Grammar.Formatting;

namespace Query.Benchmarks;

/// <summary>BenchmarkDotNet view of the parser: <c>-- --filter '*ParserBenchmarks*' --job short</c>.</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private readonly Query.Grammar.Ast.Statement _parsed = SqlParser.ParseStatement(GrammarBench.TypicalSelect);

    [Benchmark]
    public object ParseTypicalSelect() => SqlParser.Parse(GrammarBench.TypicalSelect);

    [Benchmark]
    public object ParseCreateStream() => SqlParser.Parse(GrammarBench.TypicalCreate);

    [Benchmark]
    public string FormatTypicalSelect() => SqlFormatter.Format(_parsed);
}
