namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>One entity's stored row: its event time and its values as <see cref="Online.FeatureValueCodec.EncodeRow"/> wrote them.</summary>
/// <param name="EventTime">The row's event time.</param>
/// <param name="Values">The encoded values, in schema order.</param>
internal sealed record StoredRow(DateTimeOffset EventTime, byte[] Values);
