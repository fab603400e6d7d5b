using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Granary.Definitions;
using E = System.Linq.Expressions.Expression;

namespace Granary.Transformations;

/// <summary>Computes one output over rows <c>[start, end)</c> of a frame.</summary>
internal delegate void Kernel(ColumnFrame frame, int start, int end);

/// <summary>
/// Type-checks a parsed expression and turns it into a <see cref="Kernel"/>: a loop over the rows
/// of a <see cref="ColumnFrame"/> whose body is the expression, built with System.Linq.Expressions.
/// Null travels as <see cref="Nullable{T}"/> (or a null string); the operations with edge cases
/// call <see cref="ExpressionRuntime"/>.
/// </summary>
internal sealed class ExpressionCompiler
{
    /// <summary>Names every view can read besides its inputs.</summary>
    public const string RequestTime = "request_time";

    /// <inheritdoc cref="RequestTime"/>
    public const string EventTime = "event_time";

    private readonly IReadOnlyDictionary<string, DataType> _inputs;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _constants;
    private readonly RowLayout _layout;
    private readonly ParameterExpression _frame = E.Parameter(typeof(ColumnFrame), "frame");
    private readonly ParameterExpression _index = E.Variable(typeof(int), "i");
    private readonly Dictionary<int, (ParameterExpression Values, ParameterExpression? Valid)> _columns = [];

    private ExpressionCompiler(
        IReadOnlyDictionary<string, DataType> inputs,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> constants,
        RowLayout layout)
    {
        _inputs = inputs;
        _constants = constants;
        _layout = layout;
    }

    /// <summary>
    /// Parses and checks <paramref name="expression"/> and builds the kernel that writes output
    /// <paramref name="output"/> of declared type <paramref name="dtype"/>. Inputs it reads are added to <paramref name="layout"/>.
    /// </summary>
    /// <exception cref="TransformationException">The expression does not parse or does not type-check.</exception>
    public static Expression<Kernel> Build(
        string expression,
        DataType dtype,
        int output,
        IReadOnlyDictionary<string, DataType> inputs,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> constants,
        RowLayout layout)
    {
        var syntax = Parser.Parse(expression);
        return new ExpressionCompiler(inputs, constants, layout).Kernel(syntax, dtype, output);
    }

    /// <summary>Whether expressions can compute a value of <paramref name="dtype"/>.</summary>
    public static bool IsSupported(DataType dtype) => !dtype.IsList && dtype.Scalar != ScalarType.Bytes;

    private Expression<Kernel> Kernel(Syntax syntax, DataType dtype, int output)
    {
        if (!IsSupported(dtype))
        {
            throw new TransformationException($"an expression cannot compute a {dtype} value; supported dtypes are int32, int64, float32, float64, string, bool and unix_timestamp", 1);
        }

        var target = dtype.Scalar;
        var value = Assign(Bind(syntax), target);
        var start = E.Parameter(typeof(int), "start");
        var end = E.Parameter(typeof(int), "end");
        var outValues = E.Variable(ColumnFrame.ElementType(target).MakeArrayType(), "output");
        var outValid = E.Variable(typeof(bool[]), "outputValid");
        var result = E.Variable(Clr(target), "result");
        var done = E.Label("done");

        var body = new List<E>();
        foreach (var (slot, column) in _columns)
        {
            body.Add(E.Assign(column.Values, E.Convert(
                E.ArrayIndex(E.Field(_frame, nameof(ColumnFrame.Values)), E.Constant(slot)), column.Values.Type)));
            if (column.Valid is not null)
            {
                body.Add(E.Assign(column.Valid, E.ArrayIndex(E.Field(_frame, nameof(ColumnFrame.Valid)), E.Constant(slot))));
            }
        }

        body.Add(E.Assign(outValues, E.Convert(
            E.ArrayIndex(E.Field(_frame, nameof(ColumnFrame.OutputValues)), E.Constant(output)), outValues.Type)));
        body.Add(E.Assign(outValid, E.ArrayIndex(E.Field(_frame, nameof(ColumnFrame.OutputValid)), E.Constant(output))));
        body.Add(E.Assign(_index, start));

        var store = target == ScalarType.String
            ? E.Block(
                E.Assign(E.ArrayAccess(outValues, _index), result),
                E.Assign(E.ArrayAccess(outValid, _index), E.NotEqual(result, E.Constant(null, typeof(string)))))
            : E.Block(
                E.Assign(E.ArrayAccess(outValues, _index), E.Call(result, nameof(Nullable<int>.GetValueOrDefault), Type.EmptyTypes)),
                E.Assign(E.ArrayAccess(outValid, _index), E.Property(result, nameof(Nullable<int>.HasValue))));
        body.Add(E.Loop(
            E.IfThenElse(
                E.LessThan(_index, end),
                E.Block(E.Assign(result, value), store, E.PreIncrementAssign(_index)),
                E.Break(done)),
            done));

        var variables = _columns.Values.SelectMany(c => c.Valid is null ? [c.Values] : new[] { c.Values, c.Valid })
            .Append(outValues).Append(outValid).Append(result).Append(_index);
        return E.Lambda<Kernel>(E.Block(variables, body), _frame, start, end);
    }

    /// <summary>Converts the expression's value to the declared output type, or explains why it cannot be.</summary>
    private static E Assign(Bound bound, ScalarType target)
    {
        if (bound.Type is not { } type || type == target || (IsNumeric(type) && IsNumeric(target) && Rank(type) < Rank(target)))
        {
            return Coerce(bound, target);
        }

        if (type == ScalarType.Float64 && target == ScalarType.Float32)
        {
            return E.Convert(bound.Expr, typeof(float?)); // rounds to the nearest float32
        }

        var hint = IsNumeric(type) && IsNumeric(target) ? $"; convert explicitly with {Name(target)}(...)" : string.Empty;
        throw new TransformationException($"the expression gives {Name(type)} but the feature is declared {Name(target)}{hint}", 1);
    }

    private Bound Bind(Syntax syntax) => syntax switch
    {
        LiteralSyntax literal => Literal(literal),
        NameSyntax name => Input(name),
        UnarySyntax unary => Unary(unary),
        BinarySyntax binary => Binary(binary),
        CallSyntax call => Call(call),
        _ => throw new InvalidOperationException($"unexpected syntax {syntax.GetType().Name}"),
    };

    private static Bound Literal(LiteralSyntax literal)
    {
        var token = literal.Token;
        switch (token.Kind)
        {
            case TokenKind.Integer:
                if (!long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var integer))
                {
                    throw new TransformationException($"integer {token.Text} does not fit in int64", literal.Column);
                }

                return integer is >= int.MinValue and <= int.MaxValue
                    ? new Bound(E.Constant((int?)(int)integer, typeof(int?)), ScalarType.Int32)
                    : new Bound(E.Constant((long?)integer, typeof(long?)), ScalarType.Int64);
            case TokenKind.Float:
                return new Bound(E.Constant((double?)double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture), typeof(double?)), ScalarType.Float64);
            case TokenKind.String:
                return new Bound(E.Constant(token.Text, typeof(string)), ScalarType.String);
            case TokenKind.True or TokenKind.False:
                return new Bound(E.Constant((bool?)(token.Kind == TokenKind.True), typeof(bool?)), ScalarType.Bool);
            default:
                return Bound.Null;
        }
    }

    private Bound Input(NameSyntax syntax)
    {
        var name = syntax.Name;
        DataType dtype;
        if (_inputs.TryGetValue(name, out var declared))
        {
            dtype = declared;
        }
        else if (name is RequestTime or EventTime)
        {
            dtype = new DataType(ScalarType.UnixTimestamp);
        }
        else if (_constants.ContainsKey(name))
        {
            throw new TransformationException($"'{name}' is a constant table; read it with lookup({name}, key)", syntax.Column);
        }
        else
        {
            var qualified = _inputs.Keys.Where(k => k.EndsWith("." + name, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            var hint = qualified.Count > 1 ? $"; it is ambiguous, qualify it as {string.Join(" or ", qualified)}" : string.Empty;
            throw new TransformationException($"unknown name '{name}'{hint}", syntax.Column);
        }

        if (!IsSupported(dtype))
        {
            throw new TransformationException($"input '{name}' is {dtype}, which expressions cannot use", syntax.Column);
        }

        var type = dtype.Scalar;
        var slot = _layout.Use(name, type);
        if (!_columns.TryGetValue(slot, out var column))
        {
            var elementType = ColumnFrame.ElementType(type);
            column = (E.Variable(elementType.MakeArrayType(), "in" + slot),
                type == ScalarType.String ? null : E.Variable(typeof(bool[]), "valid" + slot));
            _columns.Add(slot, column);
        }

        var element = E.ArrayIndex(column.Values, _index);
        if (column.Valid is null)
        {
            return new Bound(element, type);
        }

        var present = E.OrElse(E.Equal(column.Valid, E.Constant(null, typeof(bool[]))), E.ArrayIndex(column.Valid, _index));
        return new Bound(E.Condition(present, E.Convert(element, Clr(type)), E.Constant(null, Clr(type))), type);
    }

    private Bound Unary(UnarySyntax syntax)
    {
        var operand = Bind(syntax.Operand);
        if (syntax.Operator == TokenKind.Not)
        {
            Require(operand, ScalarType.Bool, syntax.Operand, "the operand of 'not'");
            return new Bound(Runtime(nameof(ExpressionRuntime.Not), Coerce(operand, ScalarType.Bool)), ScalarType.Bool);
        }

        if (operand.Type is not { } type)
        {
            return Bound.Null;
        }

        if (!IsNumeric(type))
        {
            throw new TransformationException($"unary '-' needs a number, got {Name(type)}", syntax.Column);
        }

        return new Bound(E.Negate(operand.Expr), type);
    }

    private Bound Binary(BinarySyntax syntax)
    {
        var left = Bind(syntax.Left);
        var right = Bind(syntax.Right);
        var op = syntax.OperatorText;
        switch (syntax.Operator)
        {
            case TokenKind.And or TokenKind.Or:
                if (!IsBoolOrNull(left) || !IsBoolOrNull(right))
                {
                    throw new TransformationException($"operator '{op}' needs bool operands, got {Name(left.Type)} and {Name(right.Type)}", syntax.Column);
                }

                var logic = syntax.Operator == TokenKind.And ? nameof(ExpressionRuntime.And) : nameof(ExpressionRuntime.Or);
                return new Bound(Runtime(logic, Coerce(left, ScalarType.Bool), Coerce(right, ScalarType.Bool)), ScalarType.Bool);

            case TokenKind.Plus or TokenKind.Minus or TokenKind.Star or TokenKind.Slash or TokenKind.Percent:
                if (!IsNumericOrNull(left) || !IsNumericOrNull(right))
                {
                    var hint = syntax.Operator == TokenKind.Plus && (left.Type == ScalarType.String || right.Type == ScalarType.String)
                        ? "; join strings with concat(a, b)"
                        : left.Type == ScalarType.UnixTimestamp && right.Type == ScalarType.UnixTimestamp ? "; use seconds_between(a, b)" : string.Empty;
                    throw new TransformationException($"operator '{op}' needs numbers, got {Name(left.Type)} and {Name(right.Type)}{hint}", syntax.Column);
                }

                if (syntax.Operator == TokenKind.Slash)
                {
                    return new Bound(
                        Runtime(nameof(ExpressionRuntime.Divide), Coerce(left, ScalarType.Float64), Coerce(right, ScalarType.Float64)),
                        ScalarType.Float64);
                }

                if (Promote(left.Type, right.Type) is not { } type)
                {
                    return Bound.Null;
                }

                var (a, b) = (Coerce(left, type), Coerce(right, type));
                return syntax.Operator switch
                {
                    TokenKind.Plus => new Bound(E.Add(a, b), type),
                    TokenKind.Minus => new Bound(E.Subtract(a, b), type),
                    TokenKind.Star => new Bound(E.Multiply(a, b), type),
                    _ => new Bound(Runtime(nameof(ExpressionRuntime.Modulo), a, b), type),
                };

            default:
                return Comparison(syntax, left, right);
        }
    }

    private static Bound Comparison(BinarySyntax syntax, Bound left, Bound right)
    {
        var isEquality = syntax.Operator is TokenKind.Equal or TokenKind.NotEqual;
        ScalarType? type;
        if (left.Type is null || right.Type is null)
        {
            type = left.Type ?? right.Type;
        }
        else if (IsNumeric(left.Type.Value) && IsNumeric(right.Type.Value))
        {
            type = Promote(left.Type, right.Type);
        }
        else if (left.Type == right.Type)
        {
            type = left.Type;
        }
        else
        {
            throw new TransformationException($"cannot compare {Name(left.Type)} with {Name(right.Type)}", syntax.Column);
        }

        if (type == ScalarType.Bool && !isEquality)
        {
            throw new TransformationException($"operator '{syntax.OperatorText}' cannot order bool values; only == and != apply", syntax.Column);
        }

        if (type is null)
        {
            return new Bound(E.Constant(null, typeof(bool?)), ScalarType.Bool); // null compared with null is null
        }

        E a = Coerce(left, type.Value), b = Coerce(right, type.Value);
        if (type == ScalarType.String)
        {
            (a, b) = (Runtime(nameof(ExpressionRuntime.CompareText), a, b), E.Constant((int?)0, typeof(int?)));
        }

        E comparison = syntax.Operator switch
        {
            TokenKind.Equal => E.Equal(a, b, liftToNull: true, method: null),
            TokenKind.NotEqual => E.NotEqual(a, b, liftToNull: true, method: null),
            TokenKind.Less => E.LessThan(a, b, liftToNull: true, method: null),
            TokenKind.LessOrEqual => E.LessThanOrEqual(a, b, liftToNull: true, method: null),
            TokenKind.Greater => E.GreaterThan(a, b, liftToNull: true, method: null),
            _ => E.GreaterThanOrEqual(a, b, liftToNull: true, method: null),
        };
        return new Bound(comparison, ScalarType.Bool);
    }

    private Bound Call(CallSyntax call)
    {
        var name = call.Function;
        if (name == "lookup")
        {
            return Lookup(call);
        }

        var args = call.Arguments.Select(Bind).ToArray();
        switch (name)
        {
            case "if":
            {
                Arity(call, 3, 3);
                Require(args[0], ScalarType.Bool, call.Arguments[0], "the condition of 'if'");
                var type = Unify(call, args[1..], "the branches of 'if'");
                if (type is not { } t)
                {
                    return Bound.Null;
                }

                var condition = E.Call(Coerce(args[0], ScalarType.Bool), nameof(Nullable<bool>.GetValueOrDefault), Type.EmptyTypes);
                return new Bound(E.Condition(condition, Coerce(args[1], t), Coerce(args[2], t)), t);
            }

            case "coalesce":
            {
                Arity(call, 1, int.MaxValue);
                if (Unify(call, args, "the arguments of 'coalesce'") is not { } t)
                {
                    return Bound.Null;
                }

                var result = Coerce(args[^1], t);
                for (var i = args.Length - 2; i >= 0; i--)
                {
                    result = E.Coalesce(Coerce(args[i], t), result);
                }

                return new Bound(result, t);
            }

            case "is_null":
            {
                Arity(call, 1, 1);
                E isNull = args[0].Type switch
                {
                    null => E.Constant(true),
                    ScalarType.String => E.Equal(args[0].Expr, E.Constant(null, typeof(string))),
                    _ => E.Not(E.Property(args[0].Expr, nameof(Nullable<int>.HasValue))),
                };
                return new Bound(E.Convert(isNull, typeof(bool?)), ScalarType.Bool);
            }

            case "abs":
            {
                Arity(call, 1, 1);
                RequireNumeric(call, args, 0);
                return args[0].Type is { } t ? new Bound(Runtime(nameof(ExpressionRuntime.Abs), args[0].Expr), t) : Bound.Null;
            }

            case "sqrt" or "log" or "log1p" or "exp":
            {
                Arity(call, 1, 1);
                RequireNumeric(call, args, 0);
                var method = name switch
                {
                    "sqrt" => nameof(ExpressionRuntime.Sqrt),
                    "log" => nameof(ExpressionRuntime.Log),
                    "log1p" => nameof(ExpressionRuntime.Log1p),
                    _ => nameof(ExpressionRuntime.Exp),
                };
                return new Bound(Runtime(method, Coerce(args[0], ScalarType.Float64)), ScalarType.Float64);
            }

            case "pow":
            {
                Arity(call, 2, 2);
                RequireNumeric(call, args, 0);
                RequireNumeric(call, args, 1);
                return new Bound(Runtime(nameof(ExpressionRuntime.Pow), Coerce(args[0], ScalarType.Float64), Coerce(args[1], ScalarType.Float64)), ScalarType.Float64);
            }

            case "round" or "floor" or "ceil":
            {
                Arity(call, 1, name == "round" ? 2 : 1);
                RequireNumeric(call, args, 0);
                if (args.Length == 2)
                {
                    RequireInteger(call, args, 1);
                }

                if (args[0].Type is ScalarType.Int32 or ScalarType.Int64)
                {
                    return args[0]; // an integer is already whole
                }

                var x = Coerce(args[0], ScalarType.Float64);
                var rounded = name switch
                {
                    "floor" => Runtime(nameof(ExpressionRuntime.Floor), x),
                    "ceil" => Runtime(nameof(ExpressionRuntime.Ceiling), x),
                    _ when args.Length == 2 => Runtime(nameof(ExpressionRuntime.Round), x, ToInt32(args[1])),
                    _ => Runtime(nameof(ExpressionRuntime.Round), x),
                };
                return new Bound(rounded, ScalarType.Float64);
            }

            case "min" or "max":
            {
                Arity(call, 2, int.MaxValue);
                var timestamps = args.All(a => a.Type is null or ScalarType.UnixTimestamp) && args.Any(a => a.Type is not null);
                if (!timestamps)
                {
                    for (var i = 0; i < args.Length; i++)
                    {
                        RequireNumeric(call, args, i);
                    }
                }

                if (Unify(call, args, $"the arguments of '{name}'") is not { } t)
                {
                    return Bound.Null;
                }

                var method = name == "min" ? nameof(ExpressionRuntime.Min) : nameof(ExpressionRuntime.Max);
                var result = Coerce(args[0], t);
                for (var i = 1; i < args.Length; i++)
                {
                    result = Runtime(method, result, Coerce(args[i], t));
                }

                return new Bound(result, t);
            }

            case "clamp":
            {
                Arity(call, 3, 3);
                for (var i = 0; i < 3; i++)
                {
                    RequireNumeric(call, args, i);
                }

                if (Promote(Promote(args[0].Type, args[1].Type), args[2].Type) is not { } t)
                {
                    return Bound.Null;
                }

                var atLeast = Runtime(nameof(ExpressionRuntime.Max), Coerce(args[0], t), Coerce(args[1], t));
                return new Bound(Runtime(nameof(ExpressionRuntime.Min), atLeast, Coerce(args[2], t)), t);
            }

            case "lower" or "upper" or "length":
            {
                Arity(call, 1, 1);
                Require(args[0], ScalarType.String, call.Arguments[0], $"argument 1 of '{name}'");
                var x = Coerce(args[0], ScalarType.String);
                return name switch
                {
                    "lower" => new Bound(Runtime(nameof(ExpressionRuntime.Lower), x), ScalarType.String),
                    "upper" => new Bound(Runtime(nameof(ExpressionRuntime.Upper), x), ScalarType.String),
                    _ => new Bound(Runtime(nameof(ExpressionRuntime.Length), x), ScalarType.Int32),
                };
            }

            case "concat":
            {
                Arity(call, 1, int.MaxValue);
                var result = Text(args[0]);
                for (var i = 1; i < args.Length; i++)
                {
                    result = Runtime(nameof(ExpressionRuntime.Concat), result, Text(args[i]));
                }

                return new Bound(result, ScalarType.String);
            }

            case "contains":
            {
                Arity(call, 2, 2);
                Require(args[0], ScalarType.String, call.Arguments[0], "argument 1 of 'contains'");
                Require(args[1], ScalarType.String, call.Arguments[1], "argument 2 of 'contains'");
                return new Bound(Runtime(nameof(ExpressionRuntime.Contains), Coerce(args[0], ScalarType.String), Coerce(args[1], ScalarType.String)), ScalarType.Bool);
            }

            case "substring":
            {
                Arity(call, 2, 3);
                Require(args[0], ScalarType.String, call.Arguments[0], "argument 1 of 'substring'");
                var parts = new List<E> { Coerce(args[0], ScalarType.String) };
                for (var i = 1; i < args.Length; i++)
                {
                    RequireInteger(call, args, i);
                    parts.Add(ToInt32(args[i]));
                }

                return new Bound(Runtime(nameof(ExpressionRuntime.Substring), [.. parts]), ScalarType.String);
            }

            case "hour_of_day" or "day_of_week":
            {
                Arity(call, 1, 1);
                Require(args[0], ScalarType.UnixTimestamp, call.Arguments[0], $"argument 1 of '{name}'");
                var method = name == "hour_of_day" ? nameof(ExpressionRuntime.HourOfDay) : nameof(ExpressionRuntime.DayOfWeek);
                return new Bound(Runtime(method, Coerce(args[0], ScalarType.UnixTimestamp)), ScalarType.Int32);
            }

            case "seconds_between":
            {
                Arity(call, 2, 2);
                Require(args[0], ScalarType.UnixTimestamp, call.Arguments[0], "argument 1 of 'seconds_between'");
                Require(args[1], ScalarType.UnixTimestamp, call.Arguments[1], "argument 2 of 'seconds_between'");
                return new Bound(
                    Runtime(nameof(ExpressionRuntime.SecondsBetween), Coerce(args[0], ScalarType.UnixTimestamp), Coerce(args[1], ScalarType.UnixTimestamp)),
                    ScalarType.Float64);
            }

            case "int32" or "int64" or "float32" or "float64" or "string" or "bool":
                Arity(call, 1, 1);
                return Cast(call, args[0], DataType.Parse(name).Scalar);

            default:
                var what = _inputs.ContainsKey(name) || _constants.ContainsKey(name) ? $"'{name}' is not a function" : $"unknown function '{name}'";
                throw new TransformationException(what, call.Column);
        }
    }

    private Bound Lookup(CallSyntax call)
    {
        Arity(call, 2, 2);
        if (call.Arguments[0] is not NameSyntax { Name: var tableName } || !_constants.TryGetValue(tableName, out var table))
        {
            var known = _constants.Count == 0 ? "the view declares no constants" : "constants: " + string.Join(", ", _constants.Keys.Order(StringComparer.Ordinal));
            throw new TransformationException($"the first argument of 'lookup' must name a constant table ({known})", call.Arguments[0].Column);
        }

        var key = Text(Bind(call.Arguments[1]));
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, v) in table)
        {
            if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                var texts = new Dictionary<string, string>(table, StringComparer.Ordinal);
                return new Bound(Runtime(nameof(ExpressionRuntime.LookupText), E.Constant(texts), key), ScalarType.String);
            }

            numbers[k] = number;
        }

        return new Bound(Runtime(nameof(ExpressionRuntime.LookupNumber), E.Constant(numbers), key), ScalarType.Float64);
    }

    private static Bound Cast(CallSyntax call, Bound value, ScalarType target)
    {
        if (value.Type is not { } source)
        {
            return new Bound(E.Constant(null, Clr(target)), target);
        }

        if (source == target)
        {
            return value;
        }

        if (target == ScalarType.String)
        {
            return new Bound(Text(value), ScalarType.String);
        }

        if (source == ScalarType.UnixTimestamp)
        {
            throw new TransformationException($"cannot convert unix_timestamp to {Name(target)}; use seconds_between, hour_of_day or day_of_week", call.Column);
        }

        E converted = (target, source) switch
        {
            (ScalarType.Bool, ScalarType.String) => Runtime(nameof(ExpressionRuntime.ToBool), value.Expr),
            (ScalarType.Bool, _) => Runtime(nameof(ExpressionRuntime.ToBool), Coerce(value, ScalarType.Float64)),
            (ScalarType.Int32, ScalarType.Int64) => Runtime(nameof(ExpressionRuntime.ToInt32), value.Expr),
            (ScalarType.Int32, ScalarType.Float32 or ScalarType.Float64) => Runtime(nameof(ExpressionRuntime.ToInt32), Coerce(value, ScalarType.Float64)),
            (ScalarType.Int32, _) => Runtime(nameof(ExpressionRuntime.ToInt32), value.Expr),
            (ScalarType.Int64, ScalarType.Int32) => Coerce(value, ScalarType.Int64),
            (ScalarType.Int64, ScalarType.Float32 or ScalarType.Float64) => Runtime(nameof(ExpressionRuntime.ToInt64), Coerce(value, ScalarType.Float64)),
            (ScalarType.Int64, _) => Runtime(nameof(ExpressionRuntime.ToInt64), value.Expr),
            (ScalarType.Float32, ScalarType.String or ScalarType.Bool) => Runtime(nameof(ExpressionRuntime.ToFloat32), value.Expr),
            (ScalarType.Float32, _) => E.Convert(value.Expr, typeof(float?)),
            (ScalarType.Float64, ScalarType.String or ScalarType.Bool) => Runtime(nameof(ExpressionRuntime.ToFloat64), value.Expr),
            (ScalarType.Float64, _) => E.Convert(value.Expr, typeof(double?)),
            _ => throw new TransformationException($"cannot convert {Name(source)} to {Name(target)}", call.Column),
        };
        return new Bound(converted, target);
    }

    /// <summary>A value as text, as <c>string(x)</c> gives it.</summary>
    private static E Text(Bound value) => value.Type switch
    {
        null => E.Constant(null, typeof(string)),
        ScalarType.String => value.Expr,
        ScalarType.UnixTimestamp => Runtime(nameof(ExpressionRuntime.TimestampToText), value.Expr),
        _ => Runtime(nameof(ExpressionRuntime.ToText), value.Expr),
    };

    private static E ToInt32(Bound value) => value.Type switch
    {
        ScalarType.Int64 => Runtime(nameof(ExpressionRuntime.ToInt32), value.Expr),
        _ => Coerce(value, ScalarType.Int32),
    };

    private static void Arity(CallSyntax call, int min, int max)
    {
        var count = call.Arguments.Count;
        if (count >= min && count <= max)
        {
            return;
        }

        var expected = (min, max) switch
        {
            _ when min == max => $"{min} argument{(min == 1 ? string.Empty : "s")}",
            (_, int.MaxValue) => $"at least {min} argument{(min == 1 ? string.Empty : "s")}",
            _ => $"{min} to {max} arguments",
        };
        throw new TransformationException($"function '{call.Function}' takes {expected}, got {count}", call.Column);
    }

    private static void Require(Bound value, ScalarType type, Syntax syntax, string what)
    {
        if (value.Type is not null && value.Type != type)
        {
            throw new TransformationException($"{what} must be {Name(type)}, got {Name(value.Type)}", syntax.Column);
        }
    }

    private static void RequireNumeric(CallSyntax call, Bound[] args, int index)
    {
        if (!IsNumericOrNull(args[index]))
        {
            throw new TransformationException($"argument {index + 1} of '{call.Function}' must be a number, got {Name(args[index].Type)}", call.Arguments[index].Column);
        }
    }

    private static void RequireInteger(CallSyntax call, Bound[] args, int index)
    {
        if (args[index].Type is not (null or ScalarType.Int32 or ScalarType.Int64))
        {
            throw new TransformationException($"argument {index + 1} of '{call.Function}' must be an integer, got {Name(args[index].Type)}", call.Arguments[index].Column);
        }
    }

    /// <summary>The common type of values that meet in one place (branches, coalesce, min/max); null when all are null.</summary>
    private static ScalarType? Unify(CallSyntax call, IReadOnlyList<Bound> values, string what)
    {
        ScalarType? result = null;
        foreach (var value in values)
        {
            if (value.Type is not { } type)
            {
                continue;
            }

            if (result is null || result == type)
            {
                result = type;
            }
            else if (IsNumeric(result.Value) && IsNumeric(type))
            {
                result = Promote(result, type);
            }
            else
            {
                throw new TransformationException($"{what} mix {Name(result)} and {Name(type)}", call.Column);
            }
        }

        return result;
    }

    private static E Coerce(Bound value, ScalarType target)
    {
        if (value.Type is null)
        {
            return E.Constant(null, Clr(target));
        }

        return value.Type == target ? value.Expr : E.Convert(value.Expr, Clr(target));
    }

    private static MethodCallExpression Runtime(string name, params E[] args)
    {
        var method = typeof(ExpressionRuntime).GetMethod(name, BindingFlags.Public | BindingFlags.Static, args.Select(a => a.Type).ToArray())
            ?? throw new InvalidOperationException($"ExpressionRuntime.{name}({string.Join(", ", args.Select(a => a.Type.Name))}) is missing");
        return E.Call(method, args);
    }

    private static Type Clr(ScalarType type) => type == ScalarType.String ? typeof(string) : typeof(Nullable<>).MakeGenericType(ColumnFrame.ElementType(type));

    private static bool IsNumeric(ScalarType type) => type is ScalarType.Int32 or ScalarType.Int64 or ScalarType.Float32 or ScalarType.Float64;

    private static bool IsNumericOrNull(Bound value) => value.Type is null || IsNumeric(value.Type.Value);

    private static bool IsBoolOrNull(Bound value) => value.Type is null or ScalarType.Bool;

    private static int Rank(ScalarType type) => type switch
    {
        ScalarType.Int32 => 0,
        ScalarType.Int64 => 1,
        ScalarType.Float32 => 2,
        _ => 3,
    };

    private static ScalarType? Promote(ScalarType? a, ScalarType? b) =>
        a is null ? b : b is null ? a : Rank(a.Value) >= Rank(b.Value) ? a : b;

    private static string Name(ScalarType? type) => type is { } t ? new DataType(t).ToString() : "null";

    /// <summary>A checked sub-expression: its tree and its type (null for the literal <c>null</c>).</summary>
    private readonly record struct Bound(E Expr, ScalarType? Type)
    {
        public static Bound Null { get; } = new(E.Constant(null, typeof(object)), null);
    }
}
