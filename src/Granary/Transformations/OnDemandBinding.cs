namespace Granary.Transformations;

/// <summary>An input of a compiled view, resolved to its origin.</summary>
/// <param name="Kind">Where the value comes from.</param>
/// <param name="Source">The feature view, aggregation view, request source or on-demand view; for event time the feature view; empty for request time.</param>
/// <param name="Name">The feature, field or output name.</param>
internal sealed record OnDemandBinding(OnDemandInputKind Kind, string Source, string Name);
