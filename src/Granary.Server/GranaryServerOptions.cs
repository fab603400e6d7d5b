namespace Granary.Server;

/// <summary>The feature server's knobs; <c>granary serve</c> reads them from the <c>feature_server</c> section of granary.yaml.</summary>
public sealed partial class GranaryServerOptions
{
    /// <summary>
    /// How often the registry version is polled; a new version is loaded and swapped in off the
    /// request path. Default 5 seconds; valid 100 ms to 1 hour (<c>registry_poll_seconds</c>).
    /// </summary>
    public TimeSpan RegistryPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Entity rows one read may ask for; more is a 400. Default 1,000; valid 1 to 1,000,000 (<c>max_entities</c>).
    /// </summary>
    public int MaxEntities { get; set; } = 1000;

    /// <summary>
    /// The largest request body (and gRPC message) accepted; larger is a 413. Default 1 MiB
    /// (1,048,576 bytes); valid 1 KiB to 1 GiB (<c>max_body_bytes</c>).
    /// </summary>
    public long MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>
    /// How long an online read or a health check may wait for the stores before it fails with 503.
    /// Default 1 second; valid 10 ms to 60 seconds (<c>read_timeout_ms</c>).
    /// </summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a push or an online write may wait for the stores before it fails with 503.
    /// Default 30 seconds; valid 10 ms to 1 hour (<c>write_timeout_ms</c>). Materialization has no
    /// timeout: it ends when done or when the client disconnects.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The accepted API keys. Empty (the default) turns authentication off: every caller may do
    /// everything. With one or more keys, every endpoint but <c>/health</c>, <c>/metrics</c> and
    /// the OpenAPI document needs a key with the endpoint's scope (<c>api_keys</c>).
    /// </summary>
    public IList<ApiKey> ApiKeys { get; } = [];

    /// <summary>Throws <see cref="GranaryException"/> naming the first value out of its range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new GranaryException($"feature server: {message}");
            }
        }

        Check(RegistryPollInterval >= TimeSpan.FromMilliseconds(100) && RegistryPollInterval <= TimeSpan.FromHours(1), $"the registry poll interval must be 100 ms to 1 hour, not {RegistryPollInterval}");
        Check(MaxEntities is >= 1 and <= 1_000_000, $"max entities must be 1 to 1,000,000, not {MaxEntities}");
        Check(MaxBodyBytes is >= 1024 and <= 1L << 30, $"max body bytes must be 1,024 to 1,073,741,824, not {MaxBodyBytes}");
        Check(ReadTimeout >= TimeSpan.FromMilliseconds(10) && ReadTimeout <= TimeSpan.FromMinutes(1), $"the read timeout must be 10 ms to 60 s, not {ReadTimeout}");
        Check(WriteTimeout >= TimeSpan.FromMilliseconds(10) && WriteTimeout <= TimeSpan.FromHours(1), $"the write timeout must be 10 ms to 1 hour, not {WriteTimeout}");
        var duplicate = ApiKeys.GroupBy(k => k.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        Check(duplicate is null, $"API keys {string.Join(" and ", duplicate?.Select(k => $"'{k.Name}'") ?? [])} have the same value");
    }
}
