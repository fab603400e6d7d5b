using System.Diagnostics;
using Granary.Diagnostics;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;
using Granary.Repo;
using Granary.DuckDb;
using Granary.Sqlite;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Granary.Hosting.Tests;

/// <summary>
/// Granary's spans and metrics as an OpenTelemetry SDK with an in-memory exporter receives them. Spans of other
/// tests running at the same time are told apart by this test's project name.
/// </summary>
public sealed class TracingTests : IAsyncLifetime
{
    private readonly HostingRepo _repo = new();
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private TracerProvider? _tracer;
    private MeterProvider? _meter;
    private FeatureStore? _store;

    private FeatureStore Store => _store!;

    public Task InitializeAsync()
    {
        _tracer = Sdk.CreateTracerProviderBuilder().AddSource(GranaryDiagnostics.ActivitySourceName).AddInMemoryExporter(_spans).Build();
        _meter = Sdk.CreateMeterProviderBuilder().AddMeter(GranaryDiagnostics.MeterName).AddInMemoryExporter(_metrics).Build();
        var config = FeatureRepo.LoadConfig(_repo.Path);
        _store = new FeatureStore(
            config,
            new FileRegistry(Path.Combine(_repo.Path, "data", "registry.json"), new FakeTimeProvider(HostingRepo.Ten)),
            new DuckDbOfflineStore(new DuckDbOfflineStoreOptions { RepoPath = _repo.Path, BatchSize = 1 }),
            new Lazy<OnlineStore>(() => new SqliteOnlineStore(new SqliteOnlineStoreOptions { Path = Path.Combine(_repo.Path, "data", "online.db") })),
            new FakeTimeProvider(HostingRepo.Ten));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        _tracer?.Dispose();
        _meter?.Dispose();
        _repo.Dispose();
    }

    /// <summary>This test's spans of one name, in the order they ended.</summary>
    private List<Activity> Spans(string name)
    {
        _tracer!.ForceFlush();
        lock (_spans)
        {
            return _spans.Where(s => s.OperationName == name && (string?)s.GetTagItem("granary.project") == _repo.Project).ToList();
        }
    }

    [Fact]
    public async Task Apply_OneSpanWithTheProjectAndWhatItCreated()
    {
        await Store.ApplyAsync(FeatureRepo.LoadDefinitions(_repo.Path, Store.SourceKinds));

        var span = Assert.Single(Spans("granary.apply"));
        Assert.Equal(1L, span.GetTagItem("granary.registry.version"));
        // The entity, the file source, the push source and the view.
        Assert.Equal(4, span.GetTagItem("granary.created"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task Materialize_ASpanPerViewAndPerBatch_WithRowCounts()
    {
        await Store.ApplyAsync(FeatureRepo.LoadDefinitions(_repo.Path, Store.SourceKinds));

        await Store.MaterializeAsync(HostingRepo.Ten.AddDays(-1), HostingRepo.Ten);

        var view = Assert.Single(Spans("granary.materialize"));
        Assert.Equal("driver_hourly_stats", view.GetTagItem("granary.feature_view"));
        // Drivers 1001 and 1002 have rows in the interval: one latest row each.
        Assert.Equal(2L, view.GetTagItem("granary.rows"));
        Assert.Equal("DuckDbOfflineStore", view.GetTagItem("granary.offline_store"));
        var batches = Spans("granary.materialize.batch");
        // A batch size of 1 makes one batch per row.
        Assert.Equal(2, batches.Count);
        Assert.All(batches, b => Assert.Equal(view.SpanId, b.ParentSpanId));
        Assert.Equal(2, batches.Sum(b => (int)b.GetTagItem("granary.rows")!));
        Assert.Equal(2, RowsOf("granary.materialization.rows", "granary.feature_view", "driver_hourly_stats"));
    }

    [Fact]
    public async Task OnlineRead_ASpanPerStoreCall_WithKeysFoundAndStore()
    {
        await _repo.ApplyAndMaterializeAsync(Store, HostingRepo.Ten);

        await Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["driver_hourly_stats:conv_rate"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L, 1002L, 1003L] },
        });

        var span = Assert.Single(Spans("granary.online_store.read"));
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("driver_hourly_stats", span.GetTagItem("granary.feature_views"));
        Assert.Equal(3, span.GetTagItem("granary.entity_rows"));
        // 1003 has no row.
        Assert.Equal(2, span.GetTagItem("granary.rows_found"));
        Assert.Equal("SqliteOnlineStore", span.GetTagItem("granary.online_store"));
    }

    [Fact]
    public async Task HistoricalFeatures_ASpanForTheStoreCall()
    {
        await Store.ApplyAsync(FeatureRepo.LoadDefinitions(_repo.Path, Store.SourceKinds));
        _repo.Write("orders.csv", "driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n");

        await using var result = await Store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityInput.FromFile(Path.Combine(_repo.Path, "orders.csv")),
            Features = ["driver_hourly_stats:trips"],
        });

        var span = Assert.Single(Spans("granary.offline_store.get_historical_features"));
        Assert.Equal("driver_hourly_stats", span.GetTagItem("granary.feature_views"));
        Assert.Equal("DuckDbOfflineStore", span.GetTagItem("granary.offline_store"));
    }

    [Fact]
    public async Task Push_ASpanWithTheRowsAndACounter()
    {
        await Store.ApplyAsync(FeatureRepo.LoadDefinitions(_repo.Path, Store.SourceKinds));

        await Store.PushAsync("driver_stats_push", new Dictionary<string, IReadOnlyList<object?>>
        {
            ["driver_id"] = [1003L, 1004L],
            ["event_timestamp"] = [HostingRepo.Ten, HostingRepo.Ten],
            ["conv_rate"] = [0.3, 0.4],
            ["trips"] = [3L, 4L],
        });

        var span = Assert.Single(Spans("granary.push"));
        Assert.Equal("driver_stats_push", span.GetTagItem("granary.push_source"));
        Assert.Equal("online", span.GetTagItem("granary.push_target"));
        Assert.Equal(2, span.GetTagItem("granary.rows"));
        Assert.Equal(2, RowsOf("granary.push.rows", "granary.push_source", "driver_stats_push"));
    }

    [Fact]
    public async Task Push_UnknownSource_SpanMarkedFailedWithTheMessage()
    {
        await Store.ApplyAsync(FeatureRepo.LoadDefinitions(_repo.Path, Store.SourceKinds));

        await Assert.ThrowsAsync<GranaryException>(() => Store.PushAsync("nope", new Dictionary<string, IReadOnlyList<object?>>()));

        var span = Assert.Single(Spans("granary.push"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("unknown push source 'nope'", span.StatusDescription);
        Assert.Contains(span.Events, e => e.Name == "exception");
    }

    /// <summary>The sum a counter recorded for this test's project and the given tag value.</summary>
    private long RowsOf(string instrument, string tag, string value)
    {
        _meter!.ForceFlush();
        long sum = 0;
        foreach (var metric in _metrics.Where(m => m.Name == instrument))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var pair in point.Tags)
                {
                    tags[pair.Key] = pair.Value;
                }

                if (Equals(tags.GetValueOrDefault("granary.project"), _repo.Project) && Equals(tags.GetValueOrDefault(tag), value))
                {
                    sum = point.GetSumLong();
                }
            }
        }

        return sum;
    }
}
