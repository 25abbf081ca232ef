using Query.Engine.Errors;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Planning.Joins;

/// <summary>
/// The WITHIN clause of a stream-stream join, in milliseconds: a left row at time t matches right rows at times
/// in [t - <see cref="BeforeMs"/>, t + <see cref="AfterMs"/>]. <c>WITHIN n</c> is n both ways.
/// <para><b>Grace.</b> With <c>GRACE PERIOD g</c> (ksqlDB 0.23 and later) a row is accepted until stream time
/// passes its window's end plus g, and an outer join emits a row that found no match, padded with NULLs, only
/// then (no spurious padded rows). Without it ksqlDB keeps its old behaviour, and so do we: a grace of 24 hours,
/// and an outer join emits the padded row at once when a row finds no match (a match that arrives later is
/// emitted too).</para>
/// </summary>
public sealed record StreamJoinWindow(long BeforeMs, long AfterMs, long GraceMs, bool HasGrace)
{
    /// <summary>Kafka Streams' historical default grace of a join window (24 hours).</summary>
    public const long DefaultGraceMs = 24L * 60 * 60 * 1000;

    /// <summary>How long a row stays in the state: no row older than stream time minus this can match a row
    /// that is not late.</summary>
    public long RetentionMs => BeforeMs + AfterMs + GraceMs;

    public static StreamJoinWindow From(Ast.WithinClause within)
    {
        var before = Milliseconds(within.Before);
        var after = within.After is { } a ? Milliseconds(a) : before;
        var grace = within.Grace is { } g ? Milliseconds(g) : DefaultGraceMs;
        if (before < 0 || after < 0 || grace < 0)
            throw new SqlException(SqlState.InvalidParameterValue,
                "WITHIN and GRACE PERIOD durations must not be negative", position: within.Span.Start + 1);
        return new StreamJoinWindow(before, after, grace, within.Grace is not null);
    }

    private static long Milliseconds(Ast.Duration duration) => (long)duration.ToTimeSpan().TotalMilliseconds;

    /// <summary>EXPLAIN's text.</summary>
    public override string ToString() =>
        $"WITHIN (BEFORE {BeforeMs} ms, AFTER {AfterMs} ms) GRACE {GraceMs} ms"
        + (HasGrace ? string.Empty : " (default: unmatched rows emitted at once)");
}
