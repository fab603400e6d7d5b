namespace Granary.Registry;

/// <summary>Another apply changed the project between this apply's read and its write; nothing was written.</summary>
public sealed class RegistryConflictException : GranaryException
{
    /// <summary>Creates the exception for a project whose version moved.</summary>
    public RegistryConflictException(string project, long expectedVersion, long actualVersion)
        : base($"registry for project '{project}' changed while applying (expected version {expectedVersion}, found {actualVersion}); " +
               "another apply ran at the same time. Nothing was written: run 'granary plan' and apply again.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RegistryConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public RegistryConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message; prefer the other constructors.</summary>
    public RegistryConflictException()
    {
    }
}
