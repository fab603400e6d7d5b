namespace Granary.Redis;

/// <summary>Options of the Redis online store.</summary>
public sealed class RedisOnlineStoreOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string, such as <c>127.0.0.1:6379</c>, or several
    /// <c>host:port</c> nodes separated by commas for a cluster, with options such as
    /// <c>password=...</c> or <c>ssl=true</c>. Required.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// How long an entity's hash lives after its last write; <see cref="TimeSpan.Zero"/> (the
    /// default) keeps it until it is overwritten or torn down. Whole seconds, 0 to 3,650 days.
    /// </summary>
    public TimeSpan KeyTtl { get; set; }

    /// <summary>
    /// Rows sent in one script call when their keys share a hash slot (always on a single server):
    /// fewer round trips and script starts. Default 100, valid 1 to 1,000.
    /// </summary>
    public int RowsPerCall { get; set; } = 100;

    /// <summary>
    /// Rows sent before waiting for the replies, which bounds the memory a large batch holds in
    /// flight. Default 20,000, valid 1 to 1,000,000.
    /// </summary>
    public int RowsInFlight { get; set; } = 20_000;
}
