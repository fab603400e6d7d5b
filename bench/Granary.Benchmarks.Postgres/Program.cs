using System.Diagnostics;
using System.Globalization;
using Granary;
using Granary.Definitions;
using Granary.Offline;
using Granary.Online;
using Granary.Postgres;
using Granary.Testing;
using Npgsql;
using Parquet;
using Parquet.Schema;
using Field = Granary.Definitions.Field;

// PostgreSQL benchmarks: the offline point-in-time join (N entity rows x K keys x R rows, 10 float
// features, written to Parquet) and online reads (1 entity x 50 features over 5 views).
// Without --connection-string a throwaway server is started in a temp folder.
var keys = Arg("--keys", 100_000);
var rowsPerKey = Arg("--rows-per-key", 100);
var entities = Arg("--entities", 1_000_000);
var reads = Arg("--reads", 20_000);
var connectionString = args.SkipWhile(a => a != "--connection-string").Skip(1).FirstOrDefault();
await using var server = connectionString is null
    ? new TempPostgres { ExtraSettings = ["shared_buffers=2GB", "work_mem=256MB", "effective_cache_size=8GB", "random_page_cost=1.1"] }
    : null;
if (server is not null)
{
    await server.StartAsync();
    connectionString = server.ConnectionString();
}

Console.WriteLine($"PostgreSQL {await ScalarAsync("SHOW server_version")}; {Environment.ProcessorCount} cores");
// "offline" or "online" runs one part; both by default.
if (!args.Contains("online"))
{
    await OfflineAsync();
}

if (!args.Contains("offline"))
{
    await OnlineAsync();
}

return 0;

async Task OfflineAsync()
{
    const int features = 10;
    var folder = Path.Combine(Path.GetTempPath(), $"granary-bench-pg-{Guid.NewGuid():N}");
    Directory.CreateDirectory(folder);
    try
    {
        Console.WriteLine($"source: {keys:N0} keys x {rowsPerKey} rows = {(long)keys * rowsPerKey:N0} rows, {features} features; entities: {entities:N0}");
        var clock = Stopwatch.StartNew();
        var values = string.Join(", ", Enumerable.Range(0, features).Select(i => $"random() AS f{i}"));

        // The DuckDB benchmark's data: hourly rows per key with a random minute; entity times fall
        // anywhere in the same span, so some entity rows precede all of their key's data.
        await ExecuteAsync($"""
            SELECT setseed(0.42);
            DROP TABLE IF EXISTS bench_source, bench_entities;
            CREATE TABLE bench_source AS
              SELECT (i % {keys})::bigint AS driver_id,
                     timestamptz '2021-01-01 00:00:00+00' + make_interval(hours => (i / {keys})::int, mins => floor(random() * 59)::int) AS event_timestamp,
                     {values}
              FROM generate_series(0, {(long)keys * rowsPerKey - 1}::bigint) AS t(i);
            CREATE TABLE bench_entities AS
              SELECT (floor(random() * {keys}))::bigint % {keys} AS driver_id,
                     timestamptz '2021-01-01 00:00:00+00' + make_interval(mins => floor(random() * {rowsPerKey * 60})::int) AS event_timestamp,
                     (random() < 0.5)::int AS label
              FROM generate_series(1, {entities}) AS t(i);
            """);
        Console.WriteLine($"generated in {clock.Elapsed.TotalSeconds:0.0} s");
        clock.Restart();
        await ExecuteAsync("CREATE INDEX ON bench_source (driver_id, event_timestamp DESC)");
        await ExecuteAsync("VACUUM ANALYZE bench_source");
        await ExecuteAsync("ANALYZE bench_entities");
        Console.WriteLine($"indexed in {clock.Elapsed.TotalSeconds:0.0} s (btree on (driver_id, event_timestamp DESC))");

        var entityFile = Path.Combine(folder, "entities.parquet");
        await ExportEntitiesAsync(entityFile);

        var view = new FeatureView
        {
            Name = "stats",
            Entities = ["driver"],
            Source = "stats",
            Online = false,
            Schema = Enumerable.Range(0, features).Select(i => new Field { Name = $"f{i}", Dtype = DataType.Float64 }).ToArray(),
        };
        var set = new DefinitionSet
        {
            Entities = [new Entity { Name = "driver", JoinKeys = ["driver_id"] }],
            Sources = [new PostgresSource { Name = "stats", Table = "bench_source" }],
            FeatureViews = [view],
        };
        var viewRequest = ViewRequest.For(set, view, view.Schema.Select(f => new SelectedFeature(f, f.Name)).ToArray());
        await using var store = new PostgresOfflineStore(new PostgresOfflineStoreOptions { ConnectionString = connectionString! });
        foreach (var (name, input) in new (string, EntityInput)[]
        {
            ("entity file (.parquet, binary COPY) -> .parquet", EntityInput.FromFile(entityFile)),
            ("--entities-sql (SELECT * FROM bench_entities) -> .parquet", EntityInput.FromSql("SELECT * FROM bench_entities")),
        })
        {
            var output = Path.Combine(folder, "out.parquet");
            clock.Restart();
            double prepared;
            await using (var result = await store.GetHistoricalFeaturesAsync(new HistoricalRequest(input, [viewRequest])))
            {
                prepared = clock.Elapsed.TotalSeconds;
                await result.WriteAsync(output);
            }

            Console.WriteLine($"granary offline join, {name}: {clock.Elapsed.TotalSeconds:0.00} s (entity rows loaded in {prepared:0.00} s; {new FileInfo(output).Length / 1e6:0} MB)");
        }
    }
    finally
    {
        Directory.Delete(folder, recursive: true);
    }
}

async Task OnlineAsync()
{
    const int views = 5;
    const int featuresPerView = 10;
    const int stored = 10_000;
    await using var store = new PostgresOnlineStore(new PostgresOnlineStoreOptions { ConnectionString = connectionString! });
    var project = "bench_online";
    var featureViews = Enumerable.Range(0, views).Select(v => new FeatureView
    {
        Name = $"view{v}",
        Entities = ["driver"],
        Source = "src",
        Schema = Enumerable.Range(0, featuresPerView).Select(i => new Field { Name = $"f{i}", Dtype = DataType.Float64 }).ToArray(),
    }).ToArray();
    await store.TeardownAsync(project);
    await store.UpdateAsync(project, featureViews, []);
    var time = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    var random = new Random(42);
    var clock = Stopwatch.StartNew();
    foreach (var view in featureViews)
    {
        var rows = Enumerable.Range(0, stored)
            .Select(k => new OnlineRow(new EntityKey(["driver_id"], [(long)k]), time, Enumerable.Range(0, featuresPerView).Select(_ => (object?)random.NextDouble()).ToArray()))
            .ToArray();
        await store.WriteBatchAsync(project, view, rows);
    }

    Console.WriteLine($"online: wrote {views} views x {stored:N0} keys x {featuresPerView} features in {clock.Elapsed.TotalSeconds:0.00} s");
    var request = featureViews.Select(v => new OnlineViewRead(v, v.Schema)).ToArray();
    for (var i = 0; i < 2_000; i++)
    {
        await store.ReadAsync(project, request, [new EntityKey(["driver_id"], [(long)random.Next(stored)])]);
    }

    var latencies = new double[reads];
    for (var i = 0; i < reads; i++)
    {
        var key = new EntityKey(["driver_id"], [(long)random.Next(stored)]);
        var start = Stopwatch.GetTimestamp();
        var result = await store.ReadAsync(project, request, [key]);
        latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (result[views - 1][0] is null)
        {
            throw new InvalidOperationException("a stored key was not found");
        }
    }

    Array.Sort(latencies);
    double Percentile(double p) => latencies[(int)Math.Min(latencies.Length - 1, Math.Ceiling(p * latencies.Length) - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"online read, 1 entity x {views * featuresPerView} features over {views} views, {reads:N0} sequential reads: p50 {Percentile(0.50):0.000} ms, p99 {Percentile(0.99):0.000} ms, max {latencies[^1]:0.000} ms"));
}

async Task ExportEntitiesAsync(string path)
{
    var clock = Stopwatch.StartNew();
    var ids = new List<long>(entities);
    var times = new List<DateTime>(entities);
    var labels = new List<int>(entities);
    await using (var connection = new NpgsqlConnection(connectionString))
    {
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT driver_id, event_timestamp, label FROM bench_entities", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
            times.Add(reader.GetDateTime(1));
            labels.Add(reader.GetInt32(2));
        }
    }

    var id = new DataField<long>("driver_id");
    var time = new DateTimeDataField("event_timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
    var label = new DataField<int>("label");
    await using var file = File.Create(path);
    await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, time, label), file);
    using var group = writer.CreateRowGroup();
    await group.WriteAsync<long>(id, ids.ToArray());
    await group.WriteAsync<DateTime>(time, times.ToArray());
    await group.WriteAsync<int>(label, labels.ToArray());
    Console.WriteLine($"entities written to Parquet in {clock.Elapsed.TotalSeconds:0.0} s");
}

async Task ExecuteAsync(string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    await command.ExecuteNonQueryAsync();
}

async Task<object?> ScalarAsync(string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    return await command.ExecuteScalarAsync();
}

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
