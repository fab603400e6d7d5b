namespace Granary.Transformations;

/// <summary>What a token of an expression is.</summary>
internal enum TokenKind
{
    End,
    Integer,
    Float,
    String,
    Identifier,
    True,
    False,
    Null,
    And,
    Or,
    Not,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    LeftParen,
    RightParen,
    Comma,
}

/// <summary>One token: its kind, its text (the decoded value for strings) and where it starts (0-based).</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position);
