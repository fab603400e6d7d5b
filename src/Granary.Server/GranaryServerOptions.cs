using System.ComponentModel.DataAnnotations;
using Granary.Repo;

namespace Granary.Server;

/// <summary>
/// The feature server's knobs; <c>granary serve</c> reads them from the <c>feature_server</c> section
/// of granary.yaml (the YAML key of each is named in its description).
/// </summary>
public sealed partial class GranaryServerOptions : IValidatableObject
{
    /// <summary>
    /// How often the registry version is polled; a new version is loaded and swapped in off the
    /// request path. Default 5 seconds; valid 100 ms to 1 hour (<c>registry_poll_seconds</c>).
    /// </summary>
    [YamlKey("registry_poll_seconds", Format = DurationFormat.Seconds)]
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RegistryPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Entity rows one read may ask for; more is a 400. Default 1,000; valid 1 to 1,000,000 (<c>max_entities</c>).
    /// </summary>
    [YamlKey("max_entities")]
    [Range(1, 1_000_000)]
    public int MaxEntities { get; set; } = 1000;

    /// <summary>
    /// The largest request body (and gRPC message) accepted; larger is a 413. Default 1 MiB
    /// (1,048,576 bytes); valid 1 KiB to 1 GiB (<c>max_body_bytes</c>).
    /// </summary>
    [YamlKey("max_body_bytes")]
    [Range(typeof(long), "1024", "1073741824")]
    public long MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>
    /// How long an online read or a health check may wait for the stores before it fails with 503.
    /// Default 1 second; valid 10 ms to 60 seconds (<c>read_timeout_ms</c>).
    /// </summary>
    [YamlKey("read_timeout_ms", Format = DurationFormat.Milliseconds)]
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a push or an online write may wait for the stores before it fails with 503.
    /// Default 30 seconds; valid 10 ms to 1 hour (<c>write_timeout_ms</c>). Materialization has no
    /// timeout: it ends when done or when the client disconnects.
    /// </summary>
    [YamlKey("write_timeout_ms", Format = DurationFormat.Milliseconds)]
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most connections <c>granary serve</c> keeps open, REST and gRPC together; at the limit a new
    /// connection sheds the oldest idle one (see <see cref="Hosting.ConnectionShedder"/>). Default 0: the
    /// process's open-file limit less 128, at most 10,000; valid 0 or 16 to 1,000,000 (<c>max_connections</c>).
    /// A host mounting the server as a library sets its own limits.
    /// </summary>
    [YamlKey("max_connections")]
    [Range(0, 1_000_000)]
    public int MaxConnections { get; set; }

    /// <summary>
    /// How long the online store is answered for as down, with 503 and no call, once its calls have failed
    /// (a circuit breaker: see docs/reliability.md); then one call probes it. Default 2 seconds; valid 500 ms
    /// (Polly's least) to 10 minutes (<c>store_break_ms</c>).
    /// </summary>
    [YamlKey("store_break_ms", Format = DurationFormat.Milliseconds)]
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan StoreBreakDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The accepted API keys. Empty (the default) turns authentication off: every caller may do
    /// everything. With one or more keys, every endpoint but <c>/health</c>, <c>/metrics</c> and
    /// the OpenAPI document needs a key with the endpoint's scope (<c>api_keys</c>).
    /// </summary>
    public IList<ApiKey> ApiKeys { get; } = [];

    /// <summary>Throws <see cref="GranaryException"/> naming the first value out of its range.</summary>
    public void Validate() => ConfigBinder.Validate(this, "feature_server");

    /// <inheritdoc/>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (MaxConnections is > 0 and < 16)
        {
            yield return new ValidationResult($"max_connections is {MaxConnections}; give 0 (fit the open-file limit) or at least 16", [nameof(MaxConnections)]);
        }

        var duplicate = ApiKeys.GroupBy(k => k.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            yield return new ValidationResult(
                $"API keys {string.Join(" and ", duplicate.Select(k => $"'{k.Name}'"))} have the same value", [nameof(ApiKeys)]);
        }
    }
}
