namespace Granary.Online;

/// <summary>A stored row of one view for one key: its event time and the requested values.</summary>
/// <param name="EventTimestamp">When the stored row happened (UTC).</param>
/// <param name="Values">The requested features' values, in request order.</param>
public sealed record OnlineRead(DateTimeOffset EventTimestamp, IReadOnlyList<object?> Values);
