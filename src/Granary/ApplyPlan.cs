using Granary.Definitions;
using Granary.Registry;

namespace Granary;

/// <summary>What <c>apply</c> would do: the validated definitions, the registry version they build on, and the changes.</summary>
/// <param name="Desired">The validated definitions.</param>
/// <param name="BaseVersion">The registry version the plan was computed against.</param>
/// <param name="Diff">Objects to create, update and delete.</param>
/// <param name="Registered">The definitions the registry held, or null for a new project.</param>
public sealed record ApplyPlan(DefinitionSet Desired, long BaseVersion, RegistryDiff Diff, DefinitionSet? Registered = null);
