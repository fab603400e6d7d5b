namespace Granary.Skew;

/// <summary>One logged row whose served value differs from the offline one.</summary>
/// <param name="Entity">The row's join keys and their values.</param>
/// <param name="LogTimestamp">When the value was served.</param>
/// <param name="Online">The value served.</param>
/// <param name="Offline">The value recomputed offline at <paramref name="LogTimestamp"/>.</param>
/// <param name="OnlineEventTimestamp">The served value's event time.</param>
/// <param name="OfflineEventTimestamp">The event time of the row the offline join picked.</param>
/// <param name="Cause">Which of <see cref="SkewCauses"/> it counts in: <c>value_differs</c>, <c>stale_online</c>, <c>online_only</c> or <c>offline_only</c>.</param>
public sealed record SkewExample(
    IReadOnlyDictionary<string, object?> Entity, DateTimeOffset LogTimestamp, object? Online, object? Offline,
    DateTimeOffset? OnlineEventTimestamp, DateTimeOffset? OfflineEventTimestamp, string Cause);
