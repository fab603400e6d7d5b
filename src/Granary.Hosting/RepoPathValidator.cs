using Granary.Repo;
using Microsoft.Extensions.Options;

namespace Granary.Hosting;

/// <summary>Checks, when the host starts, that <see cref="GranaryOptions.RepoPath"/> names a folder holding granary.yaml.</summary>
internal sealed class RepoPathValidator : IValidateOptions<GranaryOptions>
{
    public ValidateOptionsResult Validate(string? name, GranaryOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.RepoPath))
        {
            return ValidateOptionsResult.Fail("GranaryOptions: RepoPath is required: the feature repo folder holding granary.yaml");
        }

        var file = Path.Combine(Path.GetFullPath(options.RepoPath), RepoConfig.FileName);
        return File.Exists(file)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"GranaryOptions: RepoPath '{options.RepoPath}' holds no {RepoConfig.FileName} (looked for {file})");
    }
}
