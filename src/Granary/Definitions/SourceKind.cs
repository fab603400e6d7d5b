using Granary.Repo;

namespace Granary.Definitions;

/// <summary>
/// A kind of data source that a backend brings: its YAML <c>kind</c>, its discriminator in the
/// registry's JSON and how its own keys are read. The keys every source shares
/// (<c>timestamp_field</c>, <c>created_timestamp_column</c>, <c>field_mapping</c>, <c>description</c>,
/// <c>owner</c>, <c>tags</c>) are read by the core; <see cref="Parse"/> reads the rest. The offline
/// store that reads the kind describes its columns for apply's checks
/// (<see cref="Offline.OfflineStore.DescribeSourceAsync"/>).
/// </summary>
/// <param name="Name">The YAML kind, such as <c>postgres_source</c>: lower case, ending in <c>_source</c>.</param>
/// <param name="Discriminator">The value of <c>type</c> in the registry JSON, such as <c>postgres</c>; never changed once released.</param>
/// <param name="SourceType">The record type, derived from <see cref="DataSource"/>.</param>
/// <param name="Parse">
/// Reads a source of this kind named by the second argument from its YAML mapping, reporting
/// problems through <see cref="YamlSection.Error(string, string)"/> with file and line.
/// </param>
public sealed record SourceKind(string Name, string Discriminator, Type SourceType, Func<YamlSection, string, DataSource> Parse)
{
    /// <summary>Checks the kind's own consistency; throws <see cref="ArgumentException"/> for a programming mistake.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name) || !Name.EndsWith("_source", StringComparison.Ordinal) || !Names.IsValid(Name))
        {
            throw new ArgumentException($"source kind '{Name}' must be a lower-case name ending in _source");
        }

        if (string.IsNullOrEmpty(Discriminator))
        {
            throw new ArgumentException($"source kind '{Name}' needs a registry discriminator");
        }

        if (!SourceType.IsAssignableTo(typeof(DataSource)) || SourceType.IsAbstract)
        {
            throw new ArgumentException($"source kind '{Name}': {SourceType} must be a concrete DataSource");
        }

        ArgumentNullException.ThrowIfNull(Parse);
    }
}
