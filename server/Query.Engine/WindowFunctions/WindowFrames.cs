using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Execution;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.WindowFunctions;

/// <summary>Checks a written frame as PostgreSQL does (42P20 for impossible bounds, 22013 for a negative
/// offset) and evaluates its offsets, which must be constants.</summary>
internal static class WindowFrames
{
    public static WindowFrameSpec Bind(Ast.WindowFrame? frame, ExpressionBinder binder)
    {
        if (frame is null)
            return WindowFrameSpec.Default;
        var position = frame.Span.Start + 1;
        var (start, end) = (frame.Start.Kind, frame.End.Kind);
        if (start == Ast.FrameBoundKind.UnboundedFollowing)
            throw Error("frame start cannot be UNBOUNDED FOLLOWING", position);
        if (end == Ast.FrameBoundKind.UnboundedPreceding)
            throw Error("frame end cannot be UNBOUNDED PRECEDING", position);
        if (start == Ast.FrameBoundKind.CurrentRow && end == Ast.FrameBoundKind.Preceding)
            throw Error("frame starting from current row cannot have preceding rows", position);
        if (start == Ast.FrameBoundKind.Following
            && end is Ast.FrameBoundKind.Preceding or Ast.FrameBoundKind.CurrentRow)
            throw Error("frame starting from following row cannot have preceding rows", position);
        if (frame.Unit == Ast.FrameUnit.Range && (frame.Start.Offset is not null || frame.End.Offset is not null))
            throw SqlException.FeatureNotSupported("RANGE with an offset PRECEDING or FOLLOWING (use ROWS)",
                position);
        return new WindowFrameSpec(frame.Unit, start, Offset(frame.Start, binder, "starting"), end,
            Offset(frame.End, binder, "ending"));
    }

    private static long Offset(Ast.FrameBound bound, ExpressionBinder binder, string which)
    {
        if (bound.Offset is not { } syntax)
            return 0;
        var position = syntax.Span.Start + 1;
        var offset = binder.BindAs(syntax, SqlType.BigInt, CastContext.Implicit);
        if (!ConstantEvaluator.IsConstant(offset))
            throw SqlException.FeatureNotSupported("a frame offset that is not a constant", position);
        var value = ConstantEvaluator.Evaluate(offset) as long?
            ?? throw new SqlException("22004", $"frame {which} offset must not be null", position: position);
        if (value < 0)
            throw new SqlException("22013", $"frame {which} offset must not be negative", position: position);
        return value;
    }

    private static SqlException Error(string message, int position) =>
        new(SqlState.WindowingError, message, position: position);
}
