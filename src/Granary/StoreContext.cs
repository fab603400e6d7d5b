using Granary.Definitions;
using Granary.Repo;
using Microsoft.Extensions.Logging;

namespace Granary;

/// <summary>What a backend factory receives to build a store from a <c>granary.yaml</c> section.</summary>
/// <param name="Repo">The repo configuration.</param>
/// <param name="Section">The store's section.</param>
/// <param name="TimeProvider">The clock.</param>
/// <param name="LoggerFactory">Where stores log.</param>
/// <param name="SourceKinds">The source kinds the host understands (registries store them).</param>
public sealed record StoreContext(
    RepoConfig Repo, StoreConfig Section, TimeProvider TimeProvider, ILoggerFactory LoggerFactory, SourceKinds SourceKinds)
{
    /// <summary>
    /// Fills <paramref name="options"/> from the section with <see cref="ConfigBinder"/>: every key
    /// bound, unknown keys and values out of range reported with <c>granary.yaml</c>'s line.
    /// </summary>
    /// <param name="options">The options, holding their defaults.</param>
    /// <param name="otherKeys">Keys the factory reads itself.</param>
    /// <exception cref="RepoValidationException">One line per problem.</exception>
    public T Bind<T>(T options, params IEnumerable<string> otherKeys)
        where T : class => ConfigBinder.Bind(options, Section, Repo, otherKeys);
}
