namespace Granary;

/// <summary>
/// A problem the user can fix (bad definitions, a missing file, a wrong column): the message says
/// what and where, and hosts print it without a stack trace.
/// </summary>
public class GranaryException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public GranaryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the underlying cause.</summary>
    public GranaryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message; prefer the other constructors.</summary>
    public GranaryException()
    {
    }
}
