namespace Granary.Skew;

/// <summary>Why served and offline values differ, counted per feature.</summary>
/// <param name="ValueDiffers">Both present, different values, the served value not older than the offline one (the source was rewritten after serving, or a transformation changed).</param>
/// <param name="StaleOnline">Both present, different values, the served value's event time older than the one the offline join picks (materialization lag).</param>
/// <param name="OnlineOnly">Served a value, offline null.</param>
/// <param name="OfflineOnly">Served null (any status), offline a value.</param>
public sealed record SkewCauses(long ValueDiffers, long StaleOnline, long OnlineOnly, long OfflineOnly);
