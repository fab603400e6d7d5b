namespace Granary.Repo;

/// <summary>A feature repo that cannot be applied; each error is one line naming file and line, or the field.</summary>
public sealed class RepoValidationException : GranaryException
{
    /// <summary>Creates the exception from one or more error lines.</summary>
    public RepoValidationException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception from one error line.</summary>
    public RepoValidationException(string error)
        : this([error])
    {
    }

    /// <summary>Creates the exception without errors; prefer the other constructors.</summary>
    public RepoValidationException()
        : this([])
    {
    }

    /// <summary>Creates the exception from one error and its cause.</summary>
    public RepoValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>The errors, one line each.</summary>
    public IReadOnlyList<string> Errors { get; }
}
