namespace Granary.Definitions;

/// <summary>
/// A request named an object the registry does not hold: a feature view, a feature of a view, a
/// feature service. Hosts answer it as "not found" (the feature server: 404, gRPC NOT_FOUND).
/// </summary>
public class DefinitionNotFoundException : GranaryException
{
    /// <summary>Creates the exception for a missing object, with the message for the user.</summary>
    /// <param name="kind">What was asked for: <c>feature view</c>, <c>feature</c>, <c>feature service</c>.</param>
    /// <param name="name">The name that was not found.</param>
    /// <param name="message">The message for the user.</param>
    public DefinitionNotFoundException(string kind, string name, string message)
        : base(message)
    {
        Kind = kind;
        Name = name;
    }

    /// <summary>Creates the exception without details; prefer the other constructors.</summary>
    public DefinitionNotFoundException()
    {
        Kind = Name = string.Empty;
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public DefinitionNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = Name = string.Empty;
    }

    /// <summary>What was asked for: <c>feature view</c>, <c>feature</c>, <c>feature service</c>.</summary>
    public string Kind { get; }

    /// <summary>The name that was not found.</summary>
    public string Name { get; }
}
