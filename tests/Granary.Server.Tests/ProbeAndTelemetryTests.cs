using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Granary.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Granary.Server.Tests;

/// <summary>The probes /health/live and /health/ready, the server's metrics, the request id on logs and the OTLP export of <c>granary serve</c>.</summary>
public sealed class ProbeAndTelemetryTests : InProcessServerTests
{
    [Fact]
    public async Task HealthLive_AnswersHealthyWithoutRunningChecks()
    {
        var answer = await Http.GetAsync(Client, "/health/live");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("Healthy", answer.Json.GetProperty("status").GetString());
        Assert.Empty(answer.Json.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task HealthReady_StoresAnswerAndRegistryRead_HealthyWithEachCheck()
    {
        var answer = await Http.GetAsync(Client, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("Healthy", answer.Json.GetProperty("status").GetString());
        var checks = answer.Json.GetProperty("checks");
        Assert.Equal(["granary_freshness", "granary_online_store", "granary_registry"], checks.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal($"serving registry version 1 of project '{Repo.Project}'", checks.GetProperty("granary_registry").GetProperty("description").GetString());
        // The view has no ttl (ttl: 0) and no staleness is configured: it is not judged.
        Assert.Equal("0 materialized views are fresh", checks.GetProperty("granary_freshness").GetProperty("description").GetString());
    }

    [Fact]
    public async Task HealthReady_OnlineStoreGone_503NamingTheStore()
    {
        using var repo = new TestRepo();
        await repo.ApplyAsync(materialize: false);
        File.WriteAllText(Path.Combine(repo.Path, "granary.yaml"), $$"""
            project: {{repo.Project}}
            registry: data/registry.json
            online_store: { type: redis, connection_string: "127.0.0.1:{{LoopbackPort.Free()}},connectTimeout=200" }

            """);
        await using var factory = new ServerFactory(repo, o => o.ReadTimeout = TimeSpan.FromMilliseconds(300));
        using var client = factory.CreateClient();

        var answer = await Http.GetAsync(client, "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Equal("Unhealthy", answer.Json.GetProperty("status").GetString());
        var online = answer.Json.GetProperty("checks").GetProperty("granary_online_store");
        Assert.Equal("Unhealthy", online.GetProperty("status").GetString());
        Assert.StartsWith("online store", online.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", answer.Json.GetProperty("checks").GetProperty("granary_registry").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Metrics_OnlineRead_RecordsStoreDurationInAnInMemoryExporter()
    {
        var metrics = new List<Metric>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter("Granary.Server").AddInMemoryExporter(metrics).Build();

        var answer = await Http.PostAsync(Client, "/get-online-features", """{"feature_service": "activity", "entities": {"driver_id": [1001]}}""");
        meters.ForceFlush();

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var duration = Assert.Single(metrics, m => m.Name == "granary.online_store.duration");
        Assert.Equal("s", duration.Unit);
        var reads = 0L;
        foreach (ref readonly var point in duration.GetMetricPoints())
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            if (Equals(tags["operation"], "read") && Equals(tags["outcome"], "ok"))
            {
                reads += point.GetHistogramCount();
            }
        }

        Assert.True(reads >= 1, $"{reads} reads recorded");
    }

    [Fact]
    public async Task Logs_DuringARequest_CarryTheCallersRequestId()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = Factory.WithWebHostBuilder(web => web
            .ConfigureLogging(l => l.AddProvider(logs))
            .ConfigureServices(services => services.AddSingleton(provider =>
            {
                // The store logs through the host's logger factory, as AddGranary builds it.
                var store = new FeatureStoreBuilder(Granary.Repo.FeatureRepo.LoadConfig(Repo.Path))
                {
                    LoggerFactory = provider.GetRequiredService<ILoggerFactory>(),
                    Options = new FeatureStoreOptions { RegistryRefresh = RegistryRefreshMode.ByHost },
                };
                return store.AddDuckDb().AddSqlite().Build();
            })));
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/materialize")
        {
            Content = new StringContent("""{"start_ts": "2024-01-01T00:00:00Z", "end_ts": "2024-01-02T00:00:00Z"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-Id", "req-observability-42");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The core's "Materialized N rows" (event 102), logged by the store under the request.
        var materialized = Assert.Single(logs.Entries, e => e.EventId == 102);
        Assert.Contains(new KeyValuePair<string, object?>("RequestId", "req-observability-42"), materialized.Scopes);
    }

    [Fact]
    public async Task Serve_OtlpEndpointSet_ExportsGranarySpans()
    {
        var received = new ConcurrentQueue<byte[]>();
        var collectorPort = LoopbackPort.Free();
        var collector = WebApplication.CreateSlimBuilder();
        collector.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, collectorPort));
        await using var app = collector.Build();
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue(body.ToArray());
            return Results.Ok();
        });
        app.MapPost("/v1/metrics", () => Results.Ok());
        await app.StartAsync();

        using var server = await ServeProcess.StartAsync(Repo.Path, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{collectorPort}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
        using var client = new HttpClient { BaseAddress = server.RestAddress };
        var read = await Http.PostAsync(client, "/get-online-features", """{"feature_service": "activity", "entities": {"driver_id": [1001]}}""");
        Assert.Equal(HttpStatusCode.OK, read.Status);

        // The batch exporter sends within its schedule delay; wait for it, boundedly.
        var exported = string.Empty;
        for (var i = 0; i < 300 && !exported.Contains("granary.online_store.read", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            exported = string.Concat(received.Select(b => Encoding.UTF8.GetString(b)));
        }

        // Protobuf keeps strings as UTF-8: the span name, its tags and the service name are readable in the body.
        Assert.Contains("granary.online_store.read", exported, StringComparison.Ordinal);
        Assert.Contains(Repo.Project, exported, StringComparison.Ordinal);
        Assert.Contains("SqliteOnlineStore", exported, StringComparison.Ordinal);
        Assert.Contains("granary", exported, StringComparison.Ordinal);
        await app.StopAsync();
    }

    /// <summary>Keeps every log entry with the scopes it was written under.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentBag<Entry> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        public sealed record Entry(int EventId, string Message, List<KeyValuePair<string, object?>> Scopes);

        private sealed class Logger(CapturingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopes = new List<KeyValuePair<string, object?>>();
                provider._scopes.ForEachScope(
                    (scope, list) =>
                    {
                        if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                        {
                            list.AddRange(pairs);
                        }
                    },
                    scopes);
                provider.Entries.Add(new Entry(eventId.Id, formatter(state, exception), scopes));
            }
        }
    }
}
