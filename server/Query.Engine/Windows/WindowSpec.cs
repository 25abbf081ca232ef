using Query.Engine.Catalog;
using Query.Engine.Errors;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Windows;

/// <summary>
/// The WINDOW clause of an aggregation, in milliseconds. <see cref="SizeMs"/> is a session's gap. Without GRACE
/// PERIOD the grace is ksqlDB's (Kafka Streams') historical default of 24 hours; without RETENTION the state keeps
/// a window for its size plus its grace (Kafka Streams' default for a windowed store), so a window leaves the state
/// as soon as it has closed.
/// </summary>
public sealed record WindowSpec(WindowKind Kind, long SizeMs, long AdvanceMs, long GraceMs, long RetentionMs)
{
    public const long DefaultGraceMs = 24L * 60 * 60 * 1000;

    /// <summary>A tumbling or hopping window of this spec's size starting at each multiple of the advance.</summary>
    public bool IsTimeWindow => Kind != WindowKind.Session;

    /// <summary>The window the keys of its result table carry.</summary>
    public TableWindow TableWindow => new(Kind, Kind == WindowKind.Session ? 0 : SizeMs);

    public static WindowSpec From(Ast.WindowExpr window)
    {
        var position = window.Span.Start + 1;
        var (kind, size, advance) = window switch
        {
            Ast.TumblingWindow t => (WindowKind.Tumbling, Milliseconds(t.Size), Milliseconds(t.Size)),
            Ast.HoppingWindow h => (WindowKind.Hopping, Milliseconds(h.Size), Milliseconds(h.Advance)),
            Ast.SessionWindow s => (WindowKind.Session, Milliseconds(s.Gap), 0L),
            _ => throw SqlException.FeatureNotSupported($"window {window.GetType().Name}", position),
        };
        if (size <= 0)
            throw Invalid("the window size (a session's gap) must be positive", position);
        if (kind == WindowKind.Hopping && (advance <= 0 || advance > size))
            throw Invalid("ADVANCE BY must be positive and at most the window size", position);
        var grace = window.Grace is { } g ? Milliseconds(g) : DefaultGraceMs;
        if (grace < 0)
            throw Invalid("GRACE PERIOD must not be negative", position);
        var retention = window.Retention is { } r ? Milliseconds(r) : size + grace;
        if (retention < size + grace)
            throw Invalid($"RETENTION ({retention} ms) must be at least the window size plus the grace period "
                + $"({size + grace} ms)", position);
        return new WindowSpec(kind, size, advance, grace, retention);
    }

    private static long Milliseconds(Ast.Duration duration) => (long)duration.ToTimeSpan().TotalMilliseconds;

    private static SqlException Invalid(string message, int position) =>
        new(SqlState.InvalidParameterValue, message, position: position);

    /// <summary>EXPLAIN's text: <c>TUMBLING (SIZE 30000 ms, GRACE 86400000 ms, RETENTION ...)</c>.</summary>
    public override string ToString() => Kind switch
    {
        WindowKind.Hopping => $"HOPPING (SIZE {SizeMs} ms, ADVANCE BY {AdvanceMs} ms, GRACE {GraceMs} ms, "
            + $"RETENTION {RetentionMs} ms)",
        WindowKind.Session => $"SESSION (GAP {SizeMs} ms, GRACE {GraceMs} ms, RETENTION {RetentionMs} ms)",
        _ => $"TUMBLING (SIZE {SizeMs} ms, GRACE {GraceMs} ms, RETENTION {RetentionMs} ms)",
    };
}
