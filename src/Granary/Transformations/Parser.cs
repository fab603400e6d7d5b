namespace Granary.Transformations;

/// <summary>
/// Recursive descent over the tokens. Precedence from loosest: <c>or</c>, <c>and</c>, <c>not</c>,
/// comparisons, <c>+ -</c>, <c>* / %</c>, unary minus, then literals, names, calls and parentheses.
/// Both the parse (nested parentheses, calls, prefix operators) and the tree it builds (where a chain
/// <c>a + b + c</c> is one level deeper per operator) stop at <see cref="MaxDepth"/> levels: the parser,
/// the compiler and the expression trees it builds recurse once per level, and deeper would overflow the stack.
/// </summary>
internal sealed class Parser
{
    /// <summary>The deepest expression tree accepted; far beyond any written by hand.</summary>
    public const int MaxDepth = 200;

    private readonly List<Token> _tokens;
    private int _next;
    private int _depth;

    private Parser(List<Token> tokens)
    {
        _tokens = tokens;
    }

    private Token Current => _tokens[_next];

    /// <summary>Parses a whole expression; throws <see cref="TransformationException"/> with the column of the problem.</summary>
    public static Syntax Parse(string text)
    {
        var parser = new Parser(Lexer.Tokenize(text));
        if (parser.Current.Kind == TokenKind.End)
        {
            throw new TransformationException("the expression is empty", 1);
        }

        var syntax = parser.Or();
        if (parser.Current.Kind != TokenKind.End)
        {
            throw new TransformationException($"unexpected '{parser.Current.Text}' after a complete expression", parser.Current.Position + 1);
        }

        return syntax;
    }

    private Syntax Or()
    {
        var left = And();
        while (Current.Kind == TokenKind.Or)
        {
            var op = Take();
            left = Deeper(new BinarySyntax(op.Kind, op.Text, left, And(), op.Position));
        }

        return left;
    }

    private Syntax And()
    {
        var left = Not();
        while (Current.Kind == TokenKind.And)
        {
            var op = Take();
            left = Deeper(new BinarySyntax(op.Kind, op.Text, left, Not(), op.Position));
        }

        return left;
    }

    private Syntax Not()
    {
        if (Current.Kind == TokenKind.Not)
        {
            var op = Take();
            return Nested(op, () => new UnarySyntax(TokenKind.Not, Not(), op.Position));
        }

        return Comparison();
    }

    private Syntax Comparison()
    {
        var left = Additive();
        while (Current.Kind is TokenKind.Equal or TokenKind.NotEqual or TokenKind.Less or TokenKind.LessOrEqual
            or TokenKind.Greater or TokenKind.GreaterOrEqual)
        {
            var op = Take();
            left = Deeper(new BinarySyntax(op.Kind, op.Text, left, Additive(), op.Position));
        }

        return left;
    }

    private Syntax Additive()
    {
        var left = Multiplicative();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Take();
            left = Deeper(new BinarySyntax(op.Kind, op.Text, left, Multiplicative(), op.Position));
        }

        return left;
    }

    private Syntax Multiplicative()
    {
        var left = Unary();
        while (Current.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = Take();
            left = Deeper(new BinarySyntax(op.Kind, op.Text, left, Unary(), op.Position));
        }

        return left;
    }

    private Syntax Unary()
    {
        if (Current.Kind == TokenKind.Minus)
        {
            var op = Take();
            return Nested(op, () => new UnarySyntax(TokenKind.Minus, Unary(), op.Position));
        }

        return Primary();
    }

    private Syntax Primary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Integer or TokenKind.Float or TokenKind.String or TokenKind.True or TokenKind.False or TokenKind.Null:
                _next++;
                return new LiteralSyntax(token);
            case TokenKind.LeftParen:
                _next++;
                return Nested(token, () =>
                {
                    var inner = Or();
                    Expect(TokenKind.RightParen, "')'");
                    return inner;
                });
            case TokenKind.Identifier:
                _next++;
                return Current.Kind == TokenKind.LeftParen ? Nested(token, () => Call(token)) : new NameSyntax(token.Text, token.Position);
            case TokenKind.End:
                throw new TransformationException("the expression ends too early", token.Position + 1);
            default:
                throw new TransformationException($"unexpected '{token.Text}'", token.Position + 1);
        }
    }

    private CallSyntax Call(Token name)
    {
        _next++; // '('
        var arguments = new List<Syntax>();
        if (Current.Kind != TokenKind.RightParen)
        {
            arguments.Add(Or());
            while (Current.Kind == TokenKind.Comma)
            {
                _next++;
                arguments.Add(Or());
            }
        }

        Expect(TokenKind.RightParen, "',' or ')'");
        return new CallSyntax(name.Text, arguments, name.Position);
    }

    private Token Take() => _tokens[_next++];

    /// <summary>Parses one level further down (a parenthesis, call or prefix operator), within <see cref="MaxDepth"/>.</summary>
    private Syntax Nested(Token at, Func<Syntax> parse)
    {
        if (++_depth > MaxDepth)
        {
            throw TooDeep(at.Position);
        }

        var syntax = parse();
        _depth--;
        return syntax.Depth > MaxDepth ? throw TooDeep(at.Position) : syntax;
    }

    /// <summary>An operator's node, within <see cref="MaxDepth"/>: a chain such as <c>a + b + c</c> is one level deeper per operator.</summary>
    private static BinarySyntax Deeper(BinarySyntax syntax) => syntax.Depth > MaxDepth ? throw TooDeep(syntax.Position) : syntax;

    private static TransformationException TooDeep(int position) =>
        new($"the expression nests deeper than {MaxDepth} levels (parentheses, calls and chained operators count); split it into several features", position + 1);

    private void Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            var found = Current.Kind == TokenKind.End ? "the end" : $"'{Current.Text}'";
            throw new TransformationException($"expected {what}, found {found}", Current.Position + 1);
        }

        _next++;
    }
}
