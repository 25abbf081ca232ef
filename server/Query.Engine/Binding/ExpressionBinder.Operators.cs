using Query.Engine.Errors;
using Query.Engine.Types;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Binding;

public sealed partial class ExpressionBinder
{
    /// <summary>Binds two operands so that a <c>$n</c> on one side takes the other side's type.</summary>
    private (BoundExpr Left, BoundExpr Right) BindPair(Ast.Expr left, Ast.Expr right)
    {
        if (left is Ast.Parameter && right is not Ast.Parameter)
        {
            var boundRight = Bind(right);
            return (Bind(left, boundRight.Type), boundRight);
        }
        var boundLeft = Bind(left);
        return (boundLeft, Bind(right, boundLeft.Type));
    }

    private BoundExpr BindBinary(Ast.BinaryExpr binary)
    {
        var position = PositionOf(binary);
        switch (binary.Operator)
        {
            case Ast.BinaryOperator.And or Ast.BinaryOperator.Or:
                var left = BindAs(binary.Left, SqlType.Boolean, CastContext.Implicit);
                var right = BindAs(binary.Right, SqlType.Boolean, CastContext.Implicit);
                return new BoundBinary(binary.Operator == Ast.BinaryOperator.And ? BinaryOp.And : BinaryOp.Or,
                    left, right, SqlType.Boolean);
            case Ast.BinaryOperator.RegexMatch or Ast.BinaryOperator.RegexNotMatch
                or Ast.BinaryOperator.RegexMatchInsensitive or Ast.BinaryOperator.RegexNotMatchInsensitive:
                return BindRegexMatch(binary, position);
        }
        var (l, r) = BindPair(binary.Left, binary.Right);
        if (IsBitwise(binary.Operator))
            return BindBitwise(binary.Operator, l, r, position);
        if (binary.Operator == Ast.BinaryOperator.Concat && (l.Type is ArrayType || r.Type is ArrayType))
            return BindArrayConcat(l, r, position);
        return binary.Operator switch
        {
            Ast.BinaryOperator.Concat => Fold(new BoundBinary(BinaryOp.Concat,
                Coerce(l, SqlType.String, CastContext.Explicit, position),
                Coerce(r, SqlType.String, CastContext.Explicit, position), SqlType.String)),
            Ast.BinaryOperator.Add or Ast.BinaryOperator.Subtract or Ast.BinaryOperator.Multiply
                or Ast.BinaryOperator.Divide or Ast.BinaryOperator.Modulo => BindArithmetic(binary.Operator, l, r,
                    position),
            _ => BindComparison(ToComparison(binary.Operator), l, r, position),
        };
    }

    private static BinaryOp ToComparison(Ast.BinaryOperator op) => op switch
    {
        Ast.BinaryOperator.Equal => BinaryOp.Equal,
        Ast.BinaryOperator.NotEqual => BinaryOp.NotEqual,
        Ast.BinaryOperator.Less => BinaryOp.Less,
        Ast.BinaryOperator.LessOrEqual => BinaryOp.LessOrEqual,
        Ast.BinaryOperator.Greater => BinaryOp.Greater,
        Ast.BinaryOperator.GreaterOrEqual => BinaryOp.GreaterOrEqual,
        Ast.BinaryOperator.IsDistinctFrom => BinaryOp.IsDistinctFrom,
        _ => BinaryOp.IsNotDistinctFrom,
    };

    public BoundExpr BindComparison(BinaryOp op, BoundExpr left, BoundExpr right, int position)
    {
        var type = OperandType(left, right, position, op.ToString());
        if (type.IsComplex && op is not (BinaryOp.Equal or BinaryOp.NotEqual or BinaryOp.IsDistinctFrom
                or BinaryOp.IsNotDistinctFrom))
            throw new SqlException(SqlState.UndefinedFunction, $"cannot order values of type {type}",
                position: position);
        return Fold(new BoundBinary(op, Coerce(left, type, CastContext.Implicit, position, right),
            Coerce(right, type, CastContext.Implicit, position, left), SqlType.Boolean));
    }

    /// <summary>The type both operands are compared in; an untyped string adopts the other side's type.</summary>
    private static SqlType OperandType(BoundExpr left, BoundExpr right, int position, string op)
    {
        var leftUntyped = left is BoundLiteral { IsUntypedString: true };
        var rightUntyped = right is BoundLiteral { IsUntypedString: true };
        if (leftUntyped && !rightUntyped && right.Type.Kind != SqlTypeKind.Null)
            return right.Type;
        if (rightUntyped && !leftUntyped && left.Type.Kind != SqlTypeKind.Null)
            return left.Type;
        return ValueCast.CommonType(left.Type, right.Type)
            ?? throw new SqlException(SqlState.UndefinedFunction,
                $"operator does not exist: {left.Type} {OperatorText(op)} {right.Type}", position: position,
                hint: "No operator matches the given types. You might need to add an explicit CAST.");
    }

    private static string OperatorText(string op) => op switch
    {
        "Equal" => "=",
        "NotEqual" => "<>",
        "Less" => "<",
        "LessOrEqual" => "<=",
        "Greater" => ">",
        "GreaterOrEqual" => ">=",
        "Add" => "+",
        "Subtract" => "-",
        "Multiply" => "*",
        "Divide" => "/",
        "Modulo" => "%",
        _ => op,
    };

    private BoundExpr BindArithmetic(Ast.BinaryOperator op, BoundExpr left, BoundExpr right, int position)
    {
        var binaryOp = op switch
        {
            Ast.BinaryOperator.Add => BinaryOp.Add,
            Ast.BinaryOperator.Subtract => BinaryOp.Subtract,
            Ast.BinaryOperator.Multiply => BinaryOp.Multiply,
            Ast.BinaryOperator.Divide => BinaryOp.Divide,
            _ => BinaryOp.Modulo,
        };
        // TIMESTAMP ± milliseconds (INTERVAL literals are milliseconds) stays a TIMESTAMP.
        if (left.Type.Kind == SqlTypeKind.Timestamp && right.Type.IsIntegral
            && binaryOp is BinaryOp.Add or BinaryOp.Subtract)
            return Fold(new BoundBinary(binaryOp, new BoundCast(left, SqlType.BigInt),
                Coerce(right, SqlType.BigInt, CastContext.Implicit, position), SqlType.Timestamp));
        // INTERVAL + TIMESTAMP; TIMESTAMP - TIMESTAMP is the interval between them (milliseconds, as intervals are).
        if (right.Type.Kind == SqlTypeKind.Timestamp && left.Type.IsIntegral && binaryOp == BinaryOp.Add)
            return Fold(new BoundBinary(binaryOp, new BoundCast(right, SqlType.BigInt),
                Coerce(left, SqlType.BigInt, CastContext.Implicit, position), SqlType.Timestamp));
        if (left.Type.Kind == SqlTypeKind.Timestamp && right.Type.Kind == SqlTypeKind.Timestamp
            && binaryOp == BinaryOp.Subtract)
            return Fold(new BoundBinary(binaryOp, new BoundCast(left, SqlType.BigInt),
                new BoundCast(right, SqlType.BigInt), SqlType.BigInt));
        // ksqlDB's + concatenates two strings ('a' + 'b' = 'ab'); PostgreSQL has no + for text, so nothing clashes.
        if (binaryOp == BinaryOp.Add && left.Type.Kind == SqlTypeKind.String && right.Type.Kind == SqlTypeKind.String)
            return Fold(new BoundBinary(BinaryOp.Concat, left, right, SqlType.String));
        var type = OperandType(left, right, position, binaryOp.ToString());
        if (!type.IsNumeric)
            throw new SqlException(SqlState.UndefinedFunction,
                $"operator does not exist: {left.Type} {OperatorText(binaryOp.ToString())} {right.Type}",
                position: position);
        var resultType = type is DecimalType d ? DecimalResult(binaryOp, d, left.Type, right.Type) : type;
        return Fold(new BoundBinary(binaryOp, Coerce(left, type, CastContext.Implicit, position),
            Coerce(right, type, CastContext.Implicit, position), resultType));
    }

    private static DecimalType DecimalResult(BinaryOp op, DecimalType common, SqlType left, SqlType right)
    {
        if (common.IsWide)
            return WideDecimalResult(op, AsDecimalType(left), AsDecimalType(right));
        var leftScale = (left as DecimalType)?.Scale ?? 0;
        var rightScale = (right as DecimalType)?.Scale ?? 0;
        var scale = op switch
        {
            BinaryOp.Multiply => Math.Min(DecimalType.MaxPrecision, leftScale + rightScale),
            BinaryOp.Divide => Math.Max(6, common.Scale),
            _ => common.Scale,
        };
        return new DecimalType(DecimalType.MaxPrecision, scale);
    }

    private static DecimalType AsDecimalType(SqlType type) => type switch
    {
        DecimalType d => d,
        { Kind: SqlTypeKind.Int } => new DecimalType(10, 0),
        { Kind: SqlTypeKind.BigInt } => new DecimalType(19, 0),
        _ => new DecimalType(DecimalType.MaxPrecision, 0),
    };

    /// <summary>
    /// ksqlDB's (and SQL Server's) result type of DECIMAL arithmetic, once an operand is wide: + and - keep the
    /// larger scale with one more integral digit, * adds precisions and scales, / keeps at least 6 decimals, %
    /// the smaller integral part. Past 38 digits the scale gives way (to no less than 6) so the integral digits
    /// stay. The result is wide (at least 29 digits), as the operands are.
    /// </summary>
    private static DecimalType WideDecimalResult(BinaryOp op, DecimalType a, DecimalType b)
    {
        var (precision, scale) = op switch
        {
            BinaryOp.Multiply => (a.Precision + b.Precision + 1, a.Scale + b.Scale),
            BinaryOp.Divide => (a.Precision - a.Scale + b.Scale + Math.Max(6, a.Scale + b.Precision + 1),
                Math.Max(6, a.Scale + b.Precision + 1)),
            BinaryOp.Modulo => (Math.Min(a.Precision - a.Scale, b.Precision - b.Scale) + Math.Max(a.Scale, b.Scale),
                Math.Max(a.Scale, b.Scale)),
            _ => (Math.Max(a.Scale, b.Scale) + Math.Max(a.Precision - a.Scale, b.Precision - b.Scale) + 1,
                Math.Max(a.Scale, b.Scale)),
        };
        if (precision > DecimalType.WideMaxPrecision)
        {
            scale = Math.Max(Math.Min(scale, 6), scale - (precision - DecimalType.WideMaxPrecision));
            precision = DecimalType.WideMaxPrecision;
        }
        precision = Math.Max(precision, DecimalType.MaxPrecision + 1);
        return new DecimalType(precision, Math.Min(scale, precision));
    }

    private BoundExpr BindRegexMatch(Ast.BinaryExpr binary, int position)
    {
        var value = BindAs(binary.Left, SqlType.String, CastContext.Implicit);
        var pattern = BindAs(binary.Right, SqlType.String, CastContext.Implicit);
        var insensitive = binary.Operator is Ast.BinaryOperator.RegexMatchInsensitive
            or Ast.BinaryOperator.RegexNotMatchInsensitive;
        var method = Functions.FunctionDefinition.FindMethod(typeof(RegexMatching),
            insensitive ? nameof(RegexMatching.IsMatchIgnoreCase) : nameof(RegexMatching.IsMatch), 2);
        var overload = new Functions.FunctionOverload("~", method,
            new EquatableArray<SqlType>([SqlType.String, SqlType.String]), SqlType.Boolean);
        BoundExpr match = new BoundCall(overload, new EquatableArray<BoundExpr>([value, pattern]), SqlType.Boolean);
        _ = position;
        return binary.Operator is Ast.BinaryOperator.RegexNotMatch or Ast.BinaryOperator.RegexNotMatchInsensitive
            ? new BoundUnary(UnaryOp.Not, match) : match;
    }

    private BoundExpr BindBetween(Ast.BetweenExpr between)
    {
        var position = PositionOf(between);
        var operand = Bind(between.Operand);
        var low = Bind(between.Low, operand.Type);
        var high = Bind(between.High, operand.Type);
        BoundExpr range = new BoundBinary(BinaryOp.And,
            BindComparison(BinaryOp.GreaterOrEqual, operand, low, position),
            BindComparison(BinaryOp.LessOrEqual, operand, high, position), SqlType.Boolean);
        return between.Negated ? new BoundUnary(UnaryOp.Not, range) : range;
    }

    private BoundExpr BindInList(Ast.InListExpr inList)
    {
        var position = PositionOf(inList);
        if (inList.Items.Count > Limits.ValueSizeLimits.MaxInListItems)
            throw new SqlException(SqlState.ProgramLimitExceeded,
                $"IN list has {inList.Items.Count:N0} items; at most {Limits.ValueSizeLimits.MaxInListItems:N0} are "
                + "allowed", hint: "raise MaxInListItems, or load the values into a stream", position: position);
        var operand = Bind(inList.Operand);
        var items = new BoundExpr[inList.Items.Count];
        var type = operand.Type;
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = Bind(inList.Items[i], type);
            type = OperandType(new BoundLiteral(null, type), items[i], position, "IN");
        }
        if (operand is BoundLiteral { IsUntypedString: true })
            type = OperandType(items[0], operand, position, "IN");
        for (var i = 0; i < items.Length; i++)
            items[i] = Coerce(items[i], type, CastContext.Implicit, position, operand);
        return new BoundInList(Coerce(operand, type, CastContext.Implicit, position),
            new EquatableArray<BoundExpr>(items),
            inList.Negated);
    }

    private BoundExpr BindLike(Ast.LikeExpr like)
    {
        var value = BindAs(like.Operand, SqlType.String, CastContext.Implicit);
        var pattern = BindAs(like.Pattern, SqlType.String, CastContext.Implicit);
        if (like.CaseInsensitive)
        {
            value = LowerCase(value);
            pattern = LowerCase(pattern);
        }
        if (like.Escape is { Length: > 1 })
            throw new SqlException(SqlState.InvalidEscapeSequence, "invalid escape string",
                hint: "Escape string must be empty or one character.", position: PositionOf(like));
        // PostgreSQL's default escape is a backslash (psql completes `ev\_a%`); ESCAPE '' means none.
        char? escape = like.Escape is null ? '\\' : like.Escape is { Length: 1 } e ? e[0] : null;
        return new BoundLike(value, pattern, escape, like.Negated);
    }

    private static BoundExpr LowerCase(BoundExpr value)
    {
        if (value is BoundLiteral { Value: string text })
            return new BoundLiteral(text.ToLowerInvariant(), SqlType.String);
        Functions.FunctionRegistry.TryGet("LCASE", out var lower);
        return new BoundCall(lower.Resolve([SqlType.String])!, new EquatableArray<BoundExpr>([value]), SqlType.String);
    }
}
