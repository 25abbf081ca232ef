using Query.Engine.Errors;
using Query.Engine.Functions;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Binding;

/// <summary>PostgreSQL's bit operators: integers only (INT, or BIGINT when either side is), bound as calls of
/// <see cref="BitFunctions"/>; anything else is 42883 as in PostgreSQL.</summary>
public sealed partial class ExpressionBinder
{
    private static bool IsBitwise(Ast.BinaryOperator op) => op is Ast.BinaryOperator.BitAnd
        or Ast.BinaryOperator.BitOr or Ast.BinaryOperator.BitXor or Ast.BinaryOperator.ShiftLeft
        or Ast.BinaryOperator.ShiftRight;

    private BoundExpr BindBitwise(Ast.BinaryOperator op, BoundExpr left, BoundExpr right, int position)
    {
        var text = op switch
        {
            Ast.BinaryOperator.BitAnd => "&",
            Ast.BinaryOperator.BitOr => "|",
            Ast.BinaryOperator.BitXor => "#",
            Ast.BinaryOperator.ShiftLeft => "<<",
            _ => ">>",
        };
        left = IntegerOperand(left, position);
        right = IntegerOperand(right, position);
        if (!IsIntegerOrNull(left.Type) || !IsIntegerOrNull(right.Type))
            throw new SqlException(SqlState.UndefinedFunction,
                $"operator does not exist: {left.Type} {text} {right.Type}", position: position,
                hint: "The bit operators take INT or BIGINT operands. You might need to add an explicit CAST.");
        var shift = op is Ast.BinaryOperator.ShiftLeft or Ast.BinaryOperator.ShiftRight;
        var wide = left.Type.Kind == SqlTypeKind.BigInt || (!shift && right.Type.Kind == SqlTypeKind.BigInt);
        var type = wide ? SqlType.BigInt : SqlType.Int;
        var rightType = shift ? SqlType.Int : type;
        var method = (wide ? "Int8" : "Int4") + op switch
        {
            Ast.BinaryOperator.BitAnd => "And",
            Ast.BinaryOperator.BitOr => "Or",
            Ast.BinaryOperator.BitXor => "Xor",
            Ast.BinaryOperator.ShiftLeft => "Shl",
            _ => "Shr",
        };
        var overload = new FunctionOverload(method.ToLowerInvariant(),
            FunctionDefinition.FindMethod(typeof(BitFunctions), method, 2), new([type, rightType]), type);
        return Fold(new BoundCall(overload, new([Coerce(left, type, CastContext.Implicit, position),
            Coerce(right, rightType, CastContext.Implicit, position)]), type));
    }

    private BoundExpr BindBitNot(BoundExpr operand, int position)
    {
        operand = IntegerOperand(operand, position);
        if (!IsIntegerOrNull(operand.Type))
            throw new SqlException(SqlState.UndefinedFunction, $"operator does not exist: ~ {operand.Type}",
                position: position, hint: "The bit operators take INT or BIGINT operands.");
        var type = operand.Type.Kind == SqlTypeKind.BigInt ? SqlType.BigInt : SqlType.Int;
        var method = type.Kind == SqlTypeKind.BigInt ? "Int8Not" : "Int4Not";
        var overload = new FunctionOverload(method.ToLowerInvariant(),
            FunctionDefinition.FindMethod(typeof(BitFunctions), method, 1), new([type]), type);
        return Fold(new BoundCall(overload, new([Coerce(operand, type, CastContext.Implicit, position)]), type));
    }

    /// <summary>An untyped string literal reads as an integer (PostgreSQL resolves '5' &amp; 1 that way).</summary>
    private static BoundExpr IntegerOperand(BoundExpr operand, int position) =>
        operand is BoundLiteral { IsUntypedString: true }
            ? Coerce(operand, SqlType.BigInt, CastContext.Explicit, position)
            : operand;

    private static bool IsIntegerOrNull(SqlType type) =>
        type.Kind is SqlTypeKind.Int or SqlTypeKind.BigInt or SqlTypeKind.Null;
}
