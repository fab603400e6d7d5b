using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Granary.Server.Diagnostics;

/// <summary>
/// The feature server's own instruments, beside ASP.NET Core's <c>http.server.request.duration</c>
/// (request count and latency per route): store latency and errors by kind.
/// </summary>
internal sealed class ServerMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c>.</summary>
    public const string MeterName = "Granary.Server";

    private readonly Histogram<double> _storeDuration;
    private readonly Counter<long> _errors;

    public ServerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _storeDuration = meter.CreateHistogram(
            "granary.online_store.duration",
            unit: "s",
            description: "Time in the FeatureStore online calls: 'read' is GetOnlineFeaturesAsync (the store read plus in-memory key building and ttl), 'write' a push or online write, 'ping' the health check.",
            tags: null,
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            });
        _errors = meter.CreateCounter<long>("granary.server.errors", description: "Failed requests, REST and gRPC, by endpoint and kind: bad_request, unauthorized, forbidden, not_found, method_not_allowed, payload_too_large, unavailable, internal.");
    }

    public void StoreCall(string operation, long startTimestamp, bool succeeded) =>
        _storeDuration.Record(
            Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds,
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("outcome", succeeded ? "ok" : "error"));

    public void Error(string endpoint, string kind) =>
        _errors.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("kind", kind));
}
