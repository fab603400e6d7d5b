namespace Granary.Transformations;

/// <summary>
/// An on-demand transformation that cannot be compiled (a syntax, name, type or arity error) or
/// evaluated (an input of the wrong type, a C# function returning the wrong type). For compile
/// errors the message reads <c>expression column N: ...</c> and <see cref="Column"/> holds N, so
/// that callers can prefix the file and line of the definition.
/// </summary>
public sealed class TransformationException : GranaryException
{
    /// <summary>Creates the exception for a problem at a 1-based column of the expression text.</summary>
    /// <param name="detail">What is wrong, without the position.</param>
    /// <param name="column">The 1-based column within the expression.</param>
    public TransformationException(string detail, int column)
        : base($"expression column {column}: {detail}")
    {
        Detail = detail;
        Column = column;
    }

    /// <summary>Creates the exception for a problem not tied to a position.</summary>
    public TransformationException(string message)
        : base(message)
    {
        Detail = message;
    }

    /// <summary>Creates the exception with a message and the underlying cause; keeps the cause's column when it has one.</summary>
    public TransformationException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Detail = innerException is TransformationException inner ? inner.Detail : message;
        Column = (innerException as TransformationException)?.Column;
    }

    /// <summary>Creates the exception without a message; prefer the other constructors.</summary>
    public TransformationException()
    {
        Detail = string.Empty;
    }

    /// <summary>What is wrong, without the position prefix.</summary>
    public string Detail { get; }

    /// <summary>The 1-based column within the expression text, or null when the problem has no position.</summary>
    public int? Column { get; }
}
