using Granary.Online;
using Granary.Repo;
using Granary.Skew;
using Granary.Testing;
using Npgsql;

namespace Granary.Postgres.Tests;

/// <summary>
/// granary skew on PostgreSQL (offline and online stores): reads served at 10:00 are logged to a table and to files,
/// then one source row is rewritten; skew over either log (the table read by a query, the files loaded by COPY)
/// finds the one value that differs. Counts worked out by hand from the rows written here.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSkewTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);
    private readonly string _repo = Directory.CreateTempSubdirectory("granary-pg-skew-").FullName;
    private readonly MutableTime _time = new(Day.AddHours(10));
    private string _connectionString = string.Empty;

    private static DateTimeOffset At(double hours) => Day.AddHours(hours);

    public async Task InitializeAsync()
    {
        _connectionString = await server.CreateDatabaseAsync("skew");
        await PostgresTables.CreateAsync(_connectionString, "stats", TestTable.Of(
            [("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("conv_rate", "float64"), ("trips", "int64")],
            [1001L, At(8), 0.5, 10L],
            [1002L, At(8), 0.25, 20L]));
        await File.WriteAllTextAsync(Path.Combine(_repo, "granary.yaml"), $"""
            project: pgskew
            offline_store:
              type: postgres
              connection_string: "{_connectionString}"
            online_store:
              type: postgres
              connection_string: "{_connectionString}"
            """);
        await File.WriteAllTextAsync(Path.Combine(_repo, "features.yaml"), """
            kind: entity
            name: driver
            join_keys: [driver_id]
            ---
            kind: postgres_source
            name: stats
            table: stats
            timestamp_field: event_timestamp
            ---
            kind: feature_view
            name: hourly
            entities: [driver]
            source: stats
            schema:
              - { name: conv_rate, dtype: float64 }
              - { name: trips, dtype: int64 }
            ---
            kind: feature_service
            name: to_table
            features: [hourly]
            logging: { table: served_log }
            ---
            kind: feature_service
            name: to_files
            features: [hourly]
            logging: { path: data/logs }
            """);
        await using (var store = NewStore())
        {
            await store.ApplyAsync(FeatureRepo.LoadDefinitions(_repo));
            await store.MaterializeAsync(At(0), At(9));
            foreach (var service in new[] { "to_table", "to_files" })
            {
                // 1001 and 1002 as materialized, 1003 not found. Disposing writes the logs.
                await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
                {
                    FeatureService = service,
                    Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L, 1002L, 1003L] },
                });
            }
        }

        // Then 1002's 08:00 row is rewritten.
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var update = new NpgsqlCommand("UPDATE stats SET conv_rate = 0.3 WHERE driver_id = 1002", connection);
        await update.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_repo, recursive: true);
        return Task.CompletedTask;
    }

    private FeatureStore NewStore() =>
        new FeatureStoreBuilder(FeatureRepo.LoadConfig(_repo)) { TimeProvider = _time, Options = new FeatureStoreOptions { RegistryRefreshInterval = TimeSpan.Zero } }
            .AddPostgres().Build();

    [Theory]
    [InlineData("to_table")]
    [InlineData("to_files")]
    public async Task ComputeSkew_OneSourceValueRewritten_FindsItInEitherLog(string service)
    {
        await using var store = NewStore();

        var report = await store.ComputeSkewAsync(service, At(9), At(11));

        Assert.Equal(3, report.Rows);
        // conv_rate: 1001 0.5 = 0.5; 1002 served 0.25, offline 0.3 at the same 08:00: differs; 1003 none on either side.
        var conv = report.Features.Single(f => f.Feature == "hourly__conv_rate");
        Assert.Equal((3L, 2L, new SkewCauses(1, 0, 0, 0)), (conv.Compared, conv.Matches, conv.Causes));
        var example = Assert.Single(conv.Examples);
        Assert.Equal((1002L, At(10), (object?)0.25, (object?)0.3), (example.Entity["driver_id"], example.LogTimestamp, example.Online, example.Offline));
        var trips = report.Features.Single(f => f.Feature == "hourly__trips");
        Assert.Equal((3L, 3L), (trips.Compared, trips.Matches));
    }

    [Theory]
    [InlineData("to_table")]
    [InlineData("to_files")]
    public async Task ComputeSkew_RangeAfterTheReads_ReportsNoRows(string service)
    {
        await using var store = NewStore();

        var report = await store.ComputeSkewAsync(service, At(10).AddMilliseconds(1), At(12));

        Assert.Equal(0, report.Rows);
    }

    /// <summary>A clock that stays where the test puts it.</summary>
    private sealed class MutableTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
