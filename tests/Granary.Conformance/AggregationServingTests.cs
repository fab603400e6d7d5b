using Granary.Definitions;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;
using Granary.Repo;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Conformance;

/// <summary>
/// Aggregation views served online, through the facade, against every online store: at many
/// instants the values read equal the spec computed by <see cref="AggregationOracle"/> over the
/// events the offline source holds, however those events arrived (materialized, pushed, pushed
/// early, appended late) and however often ranges were materialized again.
/// </summary>
public abstract class AggregationServingTests : IAsyncLifetime
{
    /// <summary>The first day of the test events.</summary>
    protected static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string Name, string Type)[] Columns =
        [("user_id", "int64"), ("merchant", "string"), ("event_timestamp", "unix_timestamp"), ("created", "unix_timestamp"), ("amount", "float64"), ("qty", "int64")];

    private static readonly string[] Merchants = ["a", "b", "é", "z"];

    private readonly string _repo = Path.Combine(Path.GetTempPath(), "granary-agg-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Day);
    private FeatureStore? _store;
    private DataSource? _source;

    /// <summary>The repo folder of this test (sources, registry, SQLite file).</summary>
    protected string RepoPath => _repo;

    private FeatureStore Store => _store ?? throw new InvalidOperationException("not initialized");

    /// <summary>The source kinds the registry stores: the core's, plus the backend's own.</summary>
    protected virtual SourceKinds SourceKinds { get; } = new();

    /// <summary>Builds the offline store that holds the events.</summary>
    protected abstract Task<OfflineStore> CreateOfflineStoreAsync(string repoPath);

    /// <summary>Builds the online store under test.</summary>
    protected abstract Task<OnlineStore> CreateOnlineStoreAsync(string repoPath);

    /// <summary>Stores <paramref name="table"/> where the offline store reads and appends to it, and returns a source over it.</summary>
    protected abstract Task<DataSource> CreateSourceAsync(string repoPath, string name, TestTable table, string createdColumn);

    /// <inheritdoc/>
    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_repo);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.TeardownAsync();
            await _store.DisposeAsync();
        }

        Directory.Delete(_repo, recursive: true);
    }

    /// <summary>Creates the source with <paramref name="initial"/> events and the store, and applies the views.</summary>
    private async Task StartAsync(IReadOnlyList<OracleEvent> initial, TimeSpan? lateness = null)
    {
        _source = await CreateSourceAsync(_repo, "txns", TestTable.Of(Columns, initial.Select(Row).ToArray()), "created");
        var config = new RepoConfig { RepoPath = _repo, Project = "agg" + Guid.NewGuid().ToString("N")[..8] };
        var offline = await CreateOfflineStoreAsync(_repo);
        var online = await CreateOnlineStoreAsync(_repo);
        _store = new FeatureStore(
            config, new FileRegistry(Path.Combine(_repo, "registry.json"), _time, SourceKinds), offline, new Lazy<OnlineStore>(online), _time,
            options: new FeatureStoreOptions { RegistryRefreshInterval = TimeSpan.Zero }, sourceKinds: SourceKinds);
        await Store.ApplyAsync(Definitions(lateness));
    }

    private DefinitionSet Definitions(TimeSpan? lateness, string extraWindow = "1d")
    {
        static Aggregation A(AggregationFunction function, string? column, string[] windows, int? k = null) =>
            new() { Column = column, Function = function, Windows = windows, K = k };
        Aggregation[] Everything(params string[] windows) =>
        [
            A(AggregationFunction.Count, null, windows),
            A(AggregationFunction.Count, "amount", windows),
            A(AggregationFunction.Sum, "amount", windows),
            A(AggregationFunction.Sum, "qty", windows),
            A(AggregationFunction.Avg, "amount", windows),
            A(AggregationFunction.Stddev, "amount", windows),
            A(AggregationFunction.Min, "merchant", windows),
            A(AggregationFunction.Max, "qty", windows),
            A(AggregationFunction.First, "merchant", windows),
            A(AggregationFunction.Last, "amount", windows),
            A(AggregationFunction.LastK, "merchant", windows, 2),
            A(AggregationFunction.CountDistinct, "merchant", windows),
        ];
        AggregationView View(string name, TimeSpan? hop, string[] entities, Aggregation[] aggregations) => new()
        {
            Name = name,
            Entities = entities,
            Source = "txn_push",
            Hop = hop,
            AllowedLateness = lateness,
            Aggregations = aggregations,
        };

        return new DefinitionSet
        {
            Entities =
            [
                new Entity { Name = "user", JoinKeys = ["user_id"] },
                new Entity { Name = "shop", JoinKeys = ["merchant"], ValueType = DataType.String },
            ],
            Sources = [_source!, new PushSource { Name = "txn_push", BatchSource = "txns" }],
            AggregationViews =
            [
                View("txn_exact", TimeSpan.Zero, ["user"], Everything("30m", "2h")),
                View("txn_tiled", null, ["user"], Everything("30m", "1h", extraWindow)),
                View("txn_daily", TimeSpan.FromDays(1), ["user"], Everything("1d", "2d")),
                View("pair", TimeSpan.FromHours(1), ["user", "shop"],
                [
                    A(AggregationFunction.Count, null, ["1h", "3h"]),
                    A(AggregationFunction.Sum, "amount", ["1h", "3h"]),
                    A(AggregationFunction.Last, "qty", ["3h"]),
                ]),
            ],
        };
    }

    private static object?[] Row(OracleEvent e) => [e.Entity, e["merchant"], e.Time, e.Created, e["amount"], e["qty"]];

    private static Dictionary<string, IReadOnlyList<object?>> PushColumns(IReadOnlyList<OracleEvent> events) => new()
    {
        ["user_id"] = events.Select(e => e.Entity).ToArray(),
        ["merchant"] = events.Select(e => e["merchant"]).ToArray(),
        ["event_timestamp"] = events.Select(e => (object?)e.Time).ToArray(),
        ["created"] = events.Select(e => (object?)e.Created).ToArray(),
        ["amount"] = events.Select(e => e["amount"]).ToArray(),
        ["qty"] = events.Select(e => e["qty"]).ToArray(),
    };

    /// <summary>
    /// Events of users 1 to 3 over 30 hours from <see cref="Day"/>: microsecond times, bursts at one
    /// instant, created times tied or missing, a fifth of amounts and a tenth of quantities null.
    /// </summary>
    private static List<OracleEvent> Events(int seed, int count)
    {
        var random = new Random(seed);
        var events = new List<OracleEvent>();
        while (events.Count < count)
        {
            var time = Day.AddTicks(random.NextInt64(30L * 3600 * 1_000_000) * 10);
            var burst = random.Next(8) == 0 ? 3 : 1;
            for (var b = 0; b < burst && events.Count < count; b++)
            {
                events.Add(new OracleEvent(
                    (long)random.Next(1, 4),
                    time,
                    random.Next(4) switch { 0 => null, 1 => time, _ => time.AddSeconds(random.Next(3)) },
                    new Dictionary<string, object?>
                    {
                        ["merchant"] = Merchants[random.Next(Merchants.Length)],
                        ["amount"] = random.Next(5) == 0 ? null : Math.Round(random.NextDouble() * 100, 2) + 0.25,
                        ["qty"] = random.Next(10) == 0 ? null : (long)random.Next(-3, 20),
                    }));
            }
        }

        return events;
    }

    private static readonly (long User, string Merchant)[] Rows = [(1, "a"), (2, "b"), (3, "é"), (1, "z"), (4, "a")];

    private async Task<OnlineResponse> ReadAtAsync(DateTimeOffset t)
    {
        _time.SetUtcNow(t);
        var set = (await Store.GetSnapshotAsync()).Definitions;
        return await Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = set.AggregationViews.SelectMany(v => v.Features.Select(f => $"{v.Name}:{f.Field.Name}")).ToArray(),
            FullFeatureNames = true,
            Entities = new Dictionary<string, IReadOnlyList<object?>>
            {
                ["user_id"] = Rows.Select(r => (object?)r.User).ToArray(),
                ["merchant"] = Rows.Select(r => (object?)r.Merchant).ToArray(),
            },
        });
    }

    /// <summary>Reads every feature at <paramref name="t"/> and compares it with the oracle over <paramref name="known"/>.</summary>
    private async Task<List<string>> MismatchesAsync(DateTimeOffset t, IReadOnlyList<OracleEvent> known, Func<AggregationView, bool>? only = null)
    {
        var response = await ReadAtAsync(t);
        var set = (await Store.GetSnapshotAsync()).Definitions;
        var problems = new List<string>();
        foreach (var view in set.AggregationViews.Where(v => only?.Invoke(v) ?? true))
        {
            foreach (var feature in view.Features)
            {
                var column = response[$"{view.Name}__{feature.Field.Name}"];
                for (var i = 0; i < Rows.Length; i++)
                {
                    var (user, merchant) = Rows[i];
                    var events = known.Where(e => (long)e.Entity == user && (view.Name != "pair" || (string)e["merchant"]! == merchant)).ToList();
                    var a = feature.Aggregation;
                    var expected = AggregationOracle.Compute(events, a.Function, a.Column, feature.Window, feature.Hop, a.K, t);
                    var status = column.Statuses[i];
                    if (!AggregationOracle.Same(expected, column.Values[i]) || (expected is null ? status == FeatureStatus.Present : status != FeatureStatus.Present))
                    {
                        problems.Add($"{view.Name}:{feature.Field.Name} of ({user}, {merchant}) at {t:O}: expected {AggregationOracle.Show(expected)}, " +
                            $"read {AggregationOracle.Show(column.Values[i])} ({status})");
                    }
                }
            }
        }

        return problems;
    }

    [Fact]
    public async Task OnlineRead_EventsMaterializedPushedEarlyAndLate_EqualsTheSpecAtEveryInstant()
    {
        var random = new Random(42);
        var events = Events(seed: 7, count: 70);
        var start = Day.AddHours(2);
        var initial = events.Where(e => e.Time < start).ToList();
        await StartAsync(initial);
        _time.SetUtcNow(start);
        await Store.MaterializeAsync(Day.AddDays(-1), start);
        var known = new List<OracleEvent>(initial);

        // The rest arrive on time (pushed online and offline), up to 4 minutes early (pushed with a
        // future time inside the allowance), or 20 to 50 minutes late (appended to the offline
        // source only, to be counted by the next incremental materialization).
        var deliveries = events.Except(initial).Select(e => random.Next(4) switch
        {
            0 => (Arrival: e.Time.AddMinutes(random.Next(20, 50)), Event: e, Late: true),
            1 => (Arrival: e.Time.AddMinutes(-random.Next(1, 5)), Event: e, Late: false),
            _ => (Arrival: e.Time, Event: e, Late: false),
        }).OrderBy(d => d.Arrival).ToList();
        var windows = new[] { TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromDays(1) };
        var instants = events.SelectMany(e => windows.Prepend(TimeSpan.Zero).SelectMany(w => new[] { -1, 0, 1 }.Select(us => e.Time + w + TimeSpan.FromMicroseconds(us))))
            .Concat(deliveries.Select(d => d.Arrival))
            .Where(t => t > start && t < Day.AddHours(34))
            .Distinct().OrderBy(_ => random.Next()).Take(70)
            .Concat(Enumerable.Range(0, 10).Select(_ => start.AddTicks(random.NextInt64(TimeSpan.FromHours(32).Ticks) / 10 * 10)))
            .Order().ToList();

        var failures = new List<string>();
        var step = 0;
        foreach (var t in instants)
        {
            _time.SetUtcNow(t);
            var arrived = deliveries.TakeWhile(d => d.Arrival <= t).ToList();
            deliveries.RemoveRange(0, arrived.Count);
            var onTime = arrived.Where(d => !d.Late).Select(d => d.Event).ToList();
            var late = arrived.Where(d => d.Late).Select(d => d.Event).ToList();
            if (onTime.Count > 0)
            {
                await Store.PushAsync("txn_push", PushColumns(onTime), PushTarget.OnlineAndOffline);
            }

            if (late.Count > 0)
            {
                await Store.PushAsync("txn_push", PushColumns(late), PushTarget.Offline);
            }

            known.AddRange(arrived.Select(d => d.Event));
            if (late.Count > 0 || step % 4 == 0)
            {
                await Store.MaterializeIncrementalAsync(t);
            }

            if (step % 9 == 5)
            {
                // Again a range already materialized and pushed to, ending anywhere up to now.
                var from = Day.AddMinutes(random.Next(-180, (int)(t - Day).TotalMinutes));
                await Store.MaterializeAsync(from, from + ((t - from) * random.NextDouble()));
            }

            failures.AddRange(await MismatchesAsync(t, known));
            Assert.True(failures.Count == 0, string.Join("\n", failures.Take(15)));
            step++;
        }

        // Materializing everything again, twice and out of order, changes nothing.
        var end = instants[^1];
        await Store.MaterializeAsync(Day.AddHours(12), end);
        await Store.MaterializeAsync(Day.AddDays(-1), end);
        failures.AddRange(await MismatchesAsync(end, known));
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(15)));
    }

    /// <summary>
    /// Whether the offline store computes aggregation views in training data; a store that does not
    /// is checked against <see cref="AggregationOracle"/> alone.
    /// </summary>
    protected virtual bool OfflineComputesAggregations => true;

    [Fact]
    public async Task OnlineRead_AtManyInstants_EqualsTrainingDataForAnEntityRowAtTheSameInstant()
    {
        // The invariant of docs/aggregations.md: every event is in the offline source (pushed online
        // and offline as it happens, materializations in between), so a read at t gives exactly what
        // training data gives for an entity row at t, for every feature.
        var random = new Random(99);
        var events = Events(seed: 13, count: 60);
        var start = Day.AddHours(3);
        var initial = events.Where(e => e.Time < start).ToList();
        await StartAsync(initial);
        _time.SetUtcNow(start);
        await Store.MaterializeAsync(Day.AddDays(-1), start);
        var pending = events.Except(initial).OrderBy(e => e.Time).ToList();
        var known = new List<OracleEvent>(initial);
        var windows = new[] { TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromDays(1), TimeSpan.FromDays(2) };
        var instants = events.SelectMany(e => windows.Prepend(TimeSpan.Zero).SelectMany(w => new[] { -1, 0, 1 }.Select(us => e.Time + w + TimeSpan.FromMicroseconds(us))))
            .Where(t => t > start && t < Day.AddHours(34))
            .Distinct().OrderBy(_ => random.Next()).Take(60)
            .Concat(Enumerable.Range(0, 10).Select(_ => start.AddTicks(random.NextInt64(TimeSpan.FromHours(30).Ticks) / 10 * 10)))
            .Distinct().Order().ToList();

        var reads = new List<(DateTimeOffset Time, OnlineResponse Response)>();
        var oracleFailures = new List<string>();
        var step = 0;
        foreach (var t in instants)
        {
            _time.SetUtcNow(t);
            var arrived = pending.TakeWhile(e => e.Time <= t).ToList();
            pending.RemoveRange(0, arrived.Count);
            if (arrived.Count > 0)
            {
                await Store.PushAsync("txn_push", PushColumns(arrived), PushTarget.OnlineAndOffline);
                known.AddRange(arrived);
            }

            if (step++ % 5 == 0)
            {
                await Store.MaterializeIncrementalAsync(t);
            }

            reads.Add((t, await ReadAtAsync(t)));
            if (!OfflineComputesAggregations)
            {
                oracleFailures.AddRange(await MismatchesAsync(t, known));
            }
        }

        if (!OfflineComputesAggregations)
        {
            Assert.True(oracleFailures.Count == 0, string.Join("\n", oracleFailures.Take(15)));
            return;
        }

        // One training-data request for every (entity row, instant) pair, in the order read.
        var entityRows = TestTable.Of(
            [("user_id", "int64"), ("merchant", "string"), ("event_timestamp", "unix_timestamp")],
            [.. reads.SelectMany(r => Rows.Select(row => new object?[] { row.User, row.Merchant, r.Time }))]);
        var entitiesPath = Path.Combine(_repo, "entity_rows.csv");
        await File.WriteAllTextAsync(entitiesPath, entityRows.ToCsv());
        var set = (await Store.GetSnapshotAsync()).Definitions;
        var features = set.AggregationViews.SelectMany(v => v.Features.Select(f => (Reference: $"{v.Name}:{f.Field.Name}", Column: $"{v.Name}__{f.Field.Name}"))).ToArray();
        await using var result = await Store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityInput.FromFile(entitiesPath),
            Features = [.. features.Select(f => f.Reference)],
            FullFeatureNames = true,
        });
        var offline = await ResultRows.ReadAllAsync(result);

        Assert.Equal(reads.Count * Rows.Length, offline.Count);
        var failures = new List<string>();
        for (var r = 0; r < reads.Count; r++)
        {
            for (var i = 0; i < Rows.Length; i++)
            {
                var row = offline[(r * Rows.Length) + i];
                Assert.Equal(reads[r].Time, (DateTimeOffset)row["event_timestamp"]!);
                foreach (var (_, column) in features)
                {
                    var served = reads[r].Response[column].Values[i];
                    if (!Agree(served, row[column]))
                    {
                        failures.Add($"{column} of {Rows[i]} at {reads[r].Time:O}: online {AggregationOracle.Show(served)}, training data {AggregationOracle.Show(row[column])}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} differences:\n" + string.Join("\n", failures.Take(15)));
    }

    /// <summary>The same value online and offline; a list compares by its items, whatever collection holds them.</summary>
    private static bool Agree(object? online, object? offline) =>
        online is System.Collections.IList a && offline is System.Collections.IList b && online is not byte[]
            ? a.Count == b.Count && Enumerable.Range(0, a.Count).All(i => AggregationOracle.Same(a[i], b[i]))
            : AggregationOracle.Same(online, offline);

    [Fact]
    public async Task PushAsync_ConcurrentSingleEventsToOneEntity_LoseNothing()
    {
        await StartAsync(Events(seed: 3, count: 5).Where(e => (long)e.Entity != 1).ToList());
        var now = Day.AddHours(40);
        _time.SetUtcNow(now);
        const int writers = 8;
        const int pushes = 25;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < pushes; i++)
            {
                var e = new OracleEvent(1L, now.AddMinutes(-10).AddTicks(((w * pushes) + i) * 10), null,
                    new Dictionary<string, object?> { ["merchant"] = "a", ["amount"] = 1.5, ["qty"] = (long)w });
                await Store.PushAsync("txn_push", PushColumns([e]), PushTarget.Online);
            }
        })));

        var response = await ReadAtAsync(now);
        Assert.Equal(writers * pushes, (long)response["txn_exact__count_30m"].Values[0]!);
        Assert.Equal(writers * pushes, (long)response["txn_tiled__count_30m"].Values[0]!);
        Assert.Equal(writers * pushes, (long)response["txn_daily__count_1d"].Values[0]!);
        Assert.Equal(writers * pushes * 1.5, (double)response["txn_tiled__amount_sum_1h"].Values[0]!, 9);
        Assert.Equal(pushes * (writers * (writers - 1) / 2), (long)response["txn_exact__qty_sum_2h"].Values[0]!);
        Assert.Equal(writers * pushes, (long)response["pair__count_1h"].Values[0]!); // (1, "a"): every push
    }

    [Fact]
    public async Task MaterializeIncremental_LateEventWithinAndBeyondAllowedLateness_CountsOnlyTheOneWithin()
    {
        var initial = Events(seed: 5, count: 20);
        await StartAsync(initial, lateness: TimeSpan.FromMinutes(30));
        var end = Day.AddHours(31);
        _time.SetUtcNow(end);
        await Store.MaterializeAsync(Day.AddDays(-1), end);

        // Both arrive after the run to END: one 10 minutes before END, one 3 hours before.
        OracleEvent Late(TimeSpan before) => new(2L, end - before, null, new Dictionary<string, object?> { ["merchant"] = "z", ["amount"] = 10.25, ["qty"] = 1L });
        var within = Late(TimeSpan.FromMinutes(10));
        var beyond = Late(TimeSpan.FromHours(3));
        await Store.PushAsync("txn_push", PushColumns([within, beyond]), PushTarget.Offline);
        var later = end.AddMinutes(20);
        _time.SetUtcNow(later);
        await Store.MaterializeIncrementalAsync(later);

        // The hourly views re-read from 30 minutes before END rounded down to the hour: the event
        // 3 hours back is not counted until a materialize whose range holds it.
        bool Hourly(AggregationView v) => v.Name is "txn_exact" or "pair" or "txn_tiled";
        var failures = await MismatchesAsync(later, [.. initial, within], Hourly);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(15)));

        await Store.MaterializeAsync(end.AddHours(-4), end);
        failures = await MismatchesAsync(later, [.. initial, within, beyond]);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(15)));
    }

    [Fact]
    public async Task MaterializeAsync_RangeWithTheEntitysEvents_ReplacesItsOnlineOnlyPushesWithTheSource()
    {
        var now = Day.AddHours(35);
        var recorded = new OracleEvent(2L, now.AddMinutes(-20), null, new Dictionary<string, object?> { ["merchant"] = "b", ["amount"] = 1.25, ["qty"] = 1L });
        await StartAsync([.. Events(seed: 9, count: 10).Where(e => (long)e.Entity != 2), recorded]);
        _time.SetUtcNow(now);
        await Store.MaterializeAsync(Day.AddDays(-1), now);
        var pushed = new OracleEvent(2L, now.AddMinutes(-5), null, new Dictionary<string, object?> { ["merchant"] = "b", ["amount"] = 2.25, ["qty"] = 3L });
        await Store.PushAsync("txn_push", PushColumns([pushed]), PushTarget.Online);
        Assert.Equal(2L, (await ReadAtAsync(now))["txn_tiled__count_30m"].Values[1]);

        // The source never got the push: materialization is the record, and the entity's range is replaced.
        await Store.MaterializeAsync(now.AddHours(-1), now);

        Assert.Equal(1L, (await ReadAtAsync(now))["txn_tiled__count_30m"].Values[1]);
    }

    [Fact]
    public async Task PushAsync_BadRows_RejectedWholeNamingTheColumnAndNothingWritten()
    {
        await StartAsync(Events(seed: 11, count: 10).Where(e => (long)e.Entity != 3).ToList());
        var now = Day.AddHours(33);
        _time.SetUtcNow(now);
        OracleEvent Good(int minutesAgo) => new(3L, now.AddMinutes(-minutesAgo), null, new Dictionary<string, object?> { ["merchant"] = "a", ["amount"] = 1.25, ["qty"] = 1L });
        var good = PushColumns([Good(1), Good(2)]);

        async Task<string> RejectedAsync(Dictionary<string, IReadOnlyList<object?>> columns) =>
            (await Assert.ThrowsAsync<GranaryException>(() => Store.PushAsync("txn_push", columns, PushTarget.OnlineAndOffline))).Message;

        var missing = new Dictionary<string, IReadOnlyList<object?>>(good);
        missing.Remove("event_timestamp");
        Assert.Contains("missing column 'event_timestamp'", await RejectedAsync(missing), StringComparison.Ordinal);
        Assert.Contains("unknown column 'tip'", await RejectedAsync(new(good) { ["tip"] = [1.0, 2.0] }), StringComparison.Ordinal);
        Assert.Contains("column 'amount', row 1", await RejectedAsync(new(good) { ["amount"] = [1.0, "lots"] }), StringComparison.Ordinal);
        Assert.Contains("column 'event_timestamp', row 0: the event timestamp must not be null", await RejectedAsync(new(good) { ["event_timestamp"] = [null, now] }), StringComparison.Ordinal);
        var future = await RejectedAsync(new(good) { ["event_timestamp"] = [now, now.AddMinutes(6)] });
        Assert.Contains("column 'event_timestamp', row 1", future, StringComparison.Ordinal);
        Assert.Contains("in the future, more than the allowed 5m after the clock", future, StringComparison.Ordinal);

        // Nothing reached either store: not online, and not offline (a materialization finds nothing).
        Assert.Equal(0L, (await ReadAtAsync(now))["txn_exact__count_30m"].Values[2]);
        await Store.MaterializeAsync(Day, now);
        Assert.Equal(0L, (await ReadAtAsync(now))["txn_exact__count_30m"].Values[2]);

        // Within the allowance is accepted, and counted once its time has come.
        await Store.PushAsync("txn_push", new Dictionary<string, IReadOnlyList<object?>>(good) { ["event_timestamp"] = [now, now.AddMinutes(4)] }, PushTarget.OnlineAndOffline);
        Assert.Equal(0L, (await ReadAtAsync(now))["txn_exact__count_30m"].Values[2]);
        Assert.Equal(2L, (await ReadAtAsync(now.AddMinutes(5)))["txn_exact__count_30m"].Values[2]);
    }

    [Fact]
    public async Task GetOnlineFeatures_EntityWithoutEvents_CountsZeroAndTheRestNotFound()
    {
        await StartAsync(Events(seed: 13, count: 10));
        _time.SetUtcNow(Day.AddHours(31));
        await Store.MaterializeAsync(Day.AddDays(-1), Day.AddHours(31));

        var response = await ReadAtAsync(Day.AddHours(31));

        Assert.Equal(0L, response["txn_tiled__count_1h"].Values[4]);
        Assert.Equal(FeatureStatus.Present, response["txn_tiled__count_1h"].Statuses[4]);
        Assert.Equal(0L, response["txn_tiled__merchant_count_distinct_1h"].Values[4]);
        Assert.Null(response["txn_tiled__amount_sum_1h"].Values[4]);
        Assert.Equal(FeatureStatus.NotFound, response["txn_tiled__amount_sum_1h"].Statuses[4]);
        Assert.Equal(["user_id", "merchant"], response.FeatureNames.Take(2));
    }

    [Fact]
    public async Task ApplyAsync_WindowAdded_DropsTheViewsStatesAndResetsItsMaterialization()
    {
        var events = Events(seed: 17, count: 30);
        await StartAsync(events);
        var now = Day.AddHours(31);
        _time.SetUtcNow(now);
        await Store.MaterializeAsync(Day.AddDays(-1), now);
        Assert.Empty(await MismatchesAsync(now, events));

        await Store.ApplyAsync(Definitions(lateness: null, extraWindow: "2d"));

        var snapshot = await Store.GetSnapshotAsync();
        Assert.Null(snapshot.LastMaterializedEnd("txn_tiled"));
        Assert.NotNull(snapshot.LastMaterializedEnd("txn_exact"));
        var response = await ReadAtAsync(now);
        Assert.All(Enumerable.Range(0, Rows.Length), i => Assert.Equal(0L, response["txn_tiled__count_2d"].Values[i]));
        Assert.Empty(await MismatchesAsync(now, events, v => v.Name != "txn_tiled"));

        // The first incremental run of the changed view loads everything a read at END can see.
        await Store.MaterializeIncrementalAsync(now);
        Assert.Empty(await MismatchesAsync(now, events));
    }
}
