namespace Granary.Definitions;

/// <summary>A request named a feature service that the registry does not hold.</summary>
public sealed class FeatureServiceNotFoundException : GranaryException
{
    /// <summary>Creates the exception for a service name.</summary>
    public FeatureServiceNotFoundException(string serviceName)
        : base($"unknown feature service '{serviceName}'")
    {
        ServiceName = serviceName;
    }

    /// <summary>Creates the exception without a name; prefer the other constructor.</summary>
    public FeatureServiceNotFoundException()
    {
        ServiceName = string.Empty;
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public FeatureServiceNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        ServiceName = string.Empty;
    }

    /// <summary>The unknown name.</summary>
    public string ServiceName { get; }
}
