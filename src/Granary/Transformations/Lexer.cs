using System.Text;

namespace Granary.Transformations;

/// <summary>Splits an expression into tokens; errors name the 1-based column.</summary>
internal static class Lexer
{
    private static readonly Dictionary<string, TokenKind> Keywords = new(StringComparer.Ordinal)
    {
        ["true"] = TokenKind.True,
        ["false"] = TokenKind.False,
        ["null"] = TokenKind.Null,
        ["and"] = TokenKind.And,
        ["or"] = TokenKind.Or,
        ["not"] = TokenKind.Not,
    };

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                tokens.Add(new Token(TokenKind.End, string.Empty, i));
                return tokens;
            }

            var start = i;
            var c = text[i];
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(Number(text, ref i));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'
                    || (text[i] == '.' && i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] == '_'))))
                {
                    i++;
                }

                var word = text[start..i];
                tokens.Add(new Token(Keywords.GetValueOrDefault(word, TokenKind.Identifier), word, start));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(QuotedString(text, ref i));
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
                (TokenKind kind, int length) = two switch
                {
                    "==" => (TokenKind.Equal, 2),
                    "!=" => (TokenKind.NotEqual, 2),
                    "<=" => (TokenKind.LessOrEqual, 2),
                    ">=" => (TokenKind.GreaterOrEqual, 2),
                    "&&" => (TokenKind.And, 2),
                    "||" => (TokenKind.Or, 2),
                    _ => c switch
                    {
                        '+' => (TokenKind.Plus, 1),
                        '-' => (TokenKind.Minus, 1),
                        '*' => (TokenKind.Star, 1),
                        '/' => (TokenKind.Slash, 1),
                        '%' => (TokenKind.Percent, 1),
                        '<' => (TokenKind.Less, 1),
                        '>' => (TokenKind.Greater, 1),
                        '!' => (TokenKind.Not, 1),
                        '(' => (TokenKind.LeftParen, 1),
                        ')' => (TokenKind.RightParen, 1),
                        ',' => (TokenKind.Comma, 1),
                        '=' => throw new TransformationException("'=' is not an operator; compare with '=='", start + 1),
                        _ => throw new TransformationException($"unexpected character '{c}'", start + 1),
                    },
                };
                tokens.Add(new Token(kind, text.Substring(i, length), start));
                i += length;
            }
        }
    }

    private static Token Number(string text, ref int i)
    {
        var start = i;
        var isFloat = false;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i < text.Length && text[i] == '.')
        {
            isFloat = true;
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var exponent = i + 1;
            if (exponent < text.Length && text[exponent] is '+' or '-')
            {
                exponent++;
            }

            if (exponent < text.Length && char.IsAsciiDigit(text[exponent]))
            {
                isFloat = true;
                i = exponent;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
        }

        if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
        {
            throw new TransformationException($"malformed number '{text[start..(i + 1)]}'", start + 1);
        }

        return new Token(isFloat ? TokenKind.Float : TokenKind.Integer, text[start..i], start);
    }

    private static Token QuotedString(string text, ref int i)
    {
        var start = i;
        var quote = text[i++];
        var value = new StringBuilder();
        while (true)
        {
            if (i == text.Length)
            {
                throw new TransformationException("string is not closed", start + 1);
            }

            var c = text[i++];
            if (c == quote)
            {
                return new Token(TokenKind.String, value.ToString(), start);
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            if (i == text.Length)
            {
                throw new TransformationException("string is not closed", start + 1);
            }

            var escaped = text[i++];
            value.Append(escaped switch
            {
                '\\' or '\'' or '"' => escaped,
                'n' => '\n',
                't' => '\t',
                _ => throw new TransformationException($"unknown escape '\\{escaped}'; use \\\\, \\', \\\", \\n or \\t", i - 1),
            });
        }
    }
}
