namespace Granary.Online;

/// <summary>One output column of an online read across all entity rows: values, statuses and event times.</summary>
/// <param name="Values">One value per entity row; null for a missing or stale value.</param>
/// <param name="Statuses">One status per entity row.</param>
/// <param name="EventTimestamps">The event time of the row each value came from; null when none was found.</param>
public sealed record OnlineFeatureColumn(object?[] Values, FeatureStatus[] Statuses, DateTimeOffset?[] EventTimestamps);
