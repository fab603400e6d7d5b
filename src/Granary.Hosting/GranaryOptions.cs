using System.ComponentModel.DataAnnotations;
using Granary.Transformations;

namespace Granary.Hosting;

/// <summary>
/// How <c>AddGranary</c> builds the host's <see cref="FeatureStore"/>: from a feature repo, whose
/// granary.yaml chooses the registry and stores among the backends the host added. Bound from
/// configuration (a section such as <c>"Granary": { "RepoPath": "features" }</c>) or set in code,
/// and validated when the host starts.
/// </summary>
public sealed class GranaryOptions
{
    /// <summary>
    /// The feature repo folder, holding granary.yaml; a relative path is taken from the current
    /// directory. Required by <c>AddGranary</c>, which checks when the host starts that it holds granary.yaml.
    /// </summary>
    public string RepoPath { get; set; } = string.Empty;

    /// <summary>
    /// How often the registry's version is checked in the background; a new version is loaded and
    /// swapped in off the request path, so reads never wait for the registry. Default 5 seconds;
    /// valid 100 ms to 1 hour.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = "RegistryRefreshInterval must be 100 ms to 1 hour")]
    public TimeSpan RegistryRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// C# functions for on-demand features declared without an expression (see
    /// <see cref="FeatureStoreOptions.Transformations"/>). Default none; set in code, not configuration.
    /// </summary>
    public TransformationCatalog? Transformations { get; set; }
}
