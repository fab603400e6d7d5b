using System.ComponentModel.DataAnnotations;

namespace Granary.Hosting;

/// <summary>What <c>AddGranaryHealthChecks</c> checks and how long each check may take; validated when the host starts.</summary>
public sealed class GranaryHealthCheckOptions
{
    /// <summary>The tag of every Granary check; <c>/health/ready</c> of <c>granary serve</c> runs the checks with it. Default <c>"ready"</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// How long the online store may take to answer a ping before the check reports it unhealthy.
    /// Default 1 second; valid 10 ms to 60 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ParseLimitsInInvariantCulture = true, ErrorMessage = "OnlineStoreTimeout must be 10 ms to 60 seconds")]
    public TimeSpan OnlineStoreTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether the offline store is checked too. Default false: a serving host need not reach (nor
    /// install) the offline store.
    /// </summary>
    public bool CheckOfflineStore { get; set; }

    /// <summary>How long the offline store may take to answer. Default 5 seconds; valid 10 ms to 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00", ParseLimitsInInvariantCulture = true, ErrorMessage = "OfflineStoreTimeout must be 10 ms to 5 minutes")]
    public TimeSpan OfflineStoreTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How far behind now a materialized view's last materialization may end before the freshness
    /// check reports the host degraded. Default null: each view's own ttl, past which its values are
    /// served as missing anyway (views without ttl are then not judged). Valid 1 second to 365 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = "MaxStaleness must be 1 second to 365 days")]
    public TimeSpan? MaxStaleness { get; set; }

    /// <summary>
    /// How long the freshness check may take to read the materialization records from the registry.
    /// Default 2 seconds; valid 10 ms to 60 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ParseLimitsInInvariantCulture = true, ErrorMessage = "RegistryTimeout must be 10 ms to 60 seconds")]
    public TimeSpan RegistryTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
