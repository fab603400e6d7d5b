namespace Granary.Transformations;

/// <summary>
/// Recursive descent over the tokens. Precedence from loosest: <c>or</c>, <c>and</c>, <c>not</c>,
/// comparisons, <c>+ -</c>, <c>* / %</c>, unary minus, then literals, names, calls and parentheses.
/// </summary>
internal sealed class Parser
{
    private readonly List<Token> _tokens;
    private int _next;

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
            left = new BinarySyntax(op.Kind, op.Text, left, And(), op.Position);
        }

        return left;
    }

    private Syntax And()
    {
        var left = Not();
        while (Current.Kind == TokenKind.And)
        {
            var op = Take();
            left = new BinarySyntax(op.Kind, op.Text, left, Not(), op.Position);
        }

        return left;
    }

    private Syntax Not()
    {
        if (Current.Kind == TokenKind.Not)
        {
            var op = Take();
            return new UnarySyntax(TokenKind.Not, Not(), op.Position);
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
            left = new BinarySyntax(op.Kind, op.Text, left, Additive(), op.Position);
        }

        return left;
    }

    private Syntax Additive()
    {
        var left = Multiplicative();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Take();
            left = new BinarySyntax(op.Kind, op.Text, left, Multiplicative(), op.Position);
        }

        return left;
    }

    private Syntax Multiplicative()
    {
        var left = Unary();
        while (Current.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = Take();
            left = new BinarySyntax(op.Kind, op.Text, left, Unary(), op.Position);
        }

        return left;
    }

    private Syntax Unary()
    {
        if (Current.Kind == TokenKind.Minus)
        {
            var op = Take();
            return new UnarySyntax(TokenKind.Minus, Unary(), op.Position);
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
                var inner = Or();
                Expect(TokenKind.RightParen, "')'");
                return inner;
            case TokenKind.Identifier:
                _next++;
                return Current.Kind == TokenKind.LeftParen ? Call(token) : new NameSyntax(token.Text, token.Position);
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
