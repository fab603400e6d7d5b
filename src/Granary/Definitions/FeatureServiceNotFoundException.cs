namespace Granary.Definitions;

/// <summary>A request named a feature service that the registry does not hold.</summary>
public sealed class FeatureServiceNotFoundException : DefinitionNotFoundException
{
    /// <summary>Creates the exception for a service name.</summary>
    public FeatureServiceNotFoundException(string serviceName)
        : base("feature service", serviceName, $"unknown feature service '{serviceName}'")
    {
    }

    /// <summary>Creates the exception without a name; prefer the other constructor.</summary>
    public FeatureServiceNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public FeatureServiceNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The unknown name.</summary>
    public string ServiceName => Name;
}
