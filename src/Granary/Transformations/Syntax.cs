namespace Granary.Transformations;

/// <summary>A node of a parsed expression; <see cref="Position"/> is 0-based within the expression text.</summary>
internal abstract record Syntax(int Position)
{
    /// <summary>The 1-based column for error messages.</summary>
    public int Column => Position + 1;

    /// <summary>The levels of the tree under and including this node: 1 for a leaf.</summary>
    public virtual int Depth => 1;
}

/// <summary>A literal: a number, string, boolean or null (<see cref="Token.Kind"/> tells which).</summary>
internal sealed record LiteralSyntax(Token Token) : Syntax(Token.Position);

/// <summary>An input name or a constant name.</summary>
internal sealed record NameSyntax(string Name, int Position) : Syntax(Position);

/// <summary>A prefix operator: <c>-</c> or <c>not</c>.</summary>
internal sealed record UnarySyntax(TokenKind Operator, Syntax Operand, int Position) : Syntax(Position)
{
    /// <inheritdoc/>
    public override int Depth { get; } = Operand.Depth + 1;
}

/// <summary>An infix operator; the position is the operator's.</summary>
internal sealed record BinarySyntax(TokenKind Operator, string OperatorText, Syntax Left, Syntax Right, int Position) : Syntax(Position)
{
    /// <inheritdoc/>
    public override int Depth { get; } = Math.Max(Left.Depth, Right.Depth) + 1;
}

/// <summary>A function call or a cast.</summary>
internal sealed record CallSyntax(string Function, IReadOnlyList<Syntax> Arguments, int Position) : Syntax(Position)
{
    /// <inheritdoc/>
    public override int Depth { get; } = Arguments.Select(a => a.Depth).DefaultIfEmpty(0).Max() + 1;
}
