using System.ComponentModel.DataAnnotations;
using Granary.Repo;

namespace Granary.Redis;

/// <summary>Options of the Redis online store: <c>online_store: { type: redis, connection_string: ..., ... }</c>.</summary>
public sealed class RedisOnlineStoreOptions : IValidatableObject
{
    /// <summary>
    /// A StackExchange.Redis configuration string (<c>connection_string</c>), such as <c>127.0.0.1:6379</c>,
    /// or several <c>host:port</c> nodes separated by commas for a cluster, with options such as
    /// <c>password=...</c> or <c>ssl=true</c>. Required.
    /// </summary>
    [YamlKey("connection_string")]
    [Required]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// How long an entity's hash lives after its last write (<c>key_ttl</c>, in seconds);
    /// <see cref="TimeSpan.Zero"/> (the default) keeps it until it is overwritten or torn down.
    /// Whole seconds, 0 to 3,650 days.
    /// </summary>
    [YamlKey("key_ttl", Format = DurationFormat.Seconds)]
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan KeyTtl { get; set; }

    /// <summary>
    /// Rows sent in one script call when their keys share a hash slot (<c>rows_per_call</c>; always
    /// on a single server): fewer round trips and script starts. Default 100, valid 1 to 1,000.
    /// </summary>
    [YamlKey("rows_per_call")]
    [Range(1, 1000)]
    public int RowsPerCall { get; set; } = 100;

    /// <summary>
    /// Rows sent before waiting for the replies (<c>rows_in_flight</c>), which bounds the memory a
    /// large batch holds in flight. Default 20,000, valid 1 to 1,000,000.
    /// </summary>
    [YamlKey("rows_in_flight")]
    [Range(1, 1_000_000)]
    public int RowsInFlight { get; set; } = 20_000;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KeyTtl.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            yield return new ValidationResult($"must be whole seconds, not {KeyTtl.TotalSeconds}", [nameof(KeyTtl)]);
        }
    }
}
