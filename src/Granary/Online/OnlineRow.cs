namespace Granary.Online;

/// <summary>One entity's latest values of one view, to be written online.</summary>
/// <param name="Key">The entity key.</param>
/// <param name="EventTimestamp">The row's event time (UTC).</param>
/// <param name="Values">One value per feature of the view's schema, in schema order; null for a missing value.</param>
public sealed record OnlineRow(EntityKey Key, DateTimeOffset EventTimestamp, IReadOnlyList<object?> Values);
