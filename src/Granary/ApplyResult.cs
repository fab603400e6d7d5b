using Granary.Registry;

namespace Granary;

/// <summary>What an apply did.</summary>
/// <param name="Diff">Objects created, updated and deleted.</param>
/// <param name="Version">The registry version written.</param>
public sealed record ApplyResult(RegistryDiff Diff, long Version);
