using Granary.Conformance;
using Granary.Drift;
using Granary.Online;
using Granary.Repo;
using Granary.Skew;
using Granary.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Granary.Postgres.Tests;

/// <summary>
/// granary skew on PostgreSQL (offline and online stores): reads served at 10:00 and 10:30 are logged by two services,
/// one to files and one to a table (<c>logging: { table: ... }</c>), then one source row is rewritten; skew (the log
/// files loaded into the entity table by COPY, several files as one table; or the log table read in place) finds the
/// one value that differs. Counts worked out by hand from the rows written here.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSkewTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);
    private readonly string _repo = Directory.CreateTempSubdirectory("granary-pg-skew-").FullName;
    private readonly FakeTimeProvider _time = new(Day.AddHours(10));
    private string _connectionString = string.Empty;

    private static DateTimeOffset At(double hours) => Day.AddHours(hours);

    public async Task InitializeAsync()
    {
        _connectionString = await server.CreateDatabaseAsync("skew");
        await PostgresTables.CreateAsync(_connectionString, "stats", TestTable.Of(
            [("driver_id", "int64"), ("event_timestamp", "unix_timestamp"), ("conv_rate", "float64"), ("trips", "int64")],
            [1001L, At(8), 0.5, 10L],
            [1002L, At(8), 0.25, 20L]));

        // The log table exists with an older layout's columns and one row: the writer adds the columns it lacks.
        await using (var old = new NpgsqlConnection(_connectionString))
        {
            await old.OpenAsync();
            await using var create = new NpgsqlCommand(
                "CREATE TABLE served_logs (driver_id bigint, __log_timestamp timestamptz); INSERT INTO served_logs VALUES (999, '2021-04-12T08:00:00Z')", old);
            await create.ExecuteNonQueryAsync();
        }

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
            name: to_files
            features: [hourly]
            logging: { path: data/logs }
            ---
            kind: feature_service
            name: to_table
            features: [hourly]
            logging: { table: served_logs }
            """);
        var builder = Builder();
        await using (var store = builder.Build())
        {
            await store.ApplyAsync(FeatureRepo.LoadDefinitions(_repo, builder.SourceKinds));
            await store.MaterializeAsync(At(0), At(9));
            // 1001 and 1002 as materialized, 1003 not found; then 1001 again at 10:30, to a second log file.
            // Disposing writes the log.
            await store.GetOnlineFeaturesAsync(Read("to_files", 1001L, 1002L, 1003L));
            await store.GetOnlineFeaturesAsync(Read("to_table", 1001L, 1002L, 1003L));
        }

        _time.SetUtcNow(At(10.5));
        await using (var store = NewStore())
        {
            await store.GetOnlineFeaturesAsync(Read("to_files", 1001L));
            await store.GetOnlineFeaturesAsync(Read("to_table", 1001L));
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

    private FeatureStoreBuilder Builder() =>
        new FeatureStoreBuilder(FeatureRepo.LoadConfig(_repo)) { TimeProvider = _time, Options = new FeatureStoreOptions { RegistryRefreshInterval = TimeSpan.Zero } }
            .AddPostgres();

    private FeatureStore NewStore() => Builder().Build();

    private static OnlineFeaturesRequest Read(string service, params long[] drivers) => new()
    {
        FeatureService = service,
        Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = drivers.Cast<object?>().ToArray() },
    };

    [Theory]
    [InlineData("to_files")]
    [InlineData("to_table")]
    public async Task ComputeSkew_OneSourceValueRewritten_FindsItInTheLog(string service)
    {
        await using var store = NewStore();

        var report = await store.ComputeSkewAsync(service, At(9), At(10));

        // The range ends at 10:00: the 10:30 file is left out.
        Assert.Equal(3, report.Rows);
        // conv_rate: 1001 0.5 = 0.5; 1002 served 0.25, offline 0.3 at the same 08:00: differs; 1003 none on either side.
        var conv = report.Features.Single(f => f.Feature == "hourly__conv_rate");
        Assert.Equal((3L, 2L, new SkewCauses(1, 0, 0, 0)), (conv.Compared, conv.Matches, conv.Causes));
        var example = Assert.Single(conv.Examples);
        Assert.Equal((1002L, At(10), (object?)0.25, (object?)0.3), (example.Entity["driver_id"], example.LogTimestamp, example.Online, example.Offline));
        var trips = report.Features.Single(f => f.Feature == "hourly__trips");
        Assert.Equal((3L, 3L), (trips.Compared, trips.Matches));
    }

    [Fact]
    public async Task ComputeSkew_TwoLogFiles_ReadsBothInOrder()
    {
        await using var store = NewStore();

        var report = await store.ComputeSkewAsync("to_files");

        Assert.Equal((At(10), At(10.5), 4L), (report.Start, report.End, report.Rows));
        var conv = report.Features.Single(f => f.Feature == "hourly__conv_rate");
        Assert.Equal((4L, 3L), (conv.Compared, conv.Matches));
    }

    [Fact]
    public async Task WriteFeatureLog_TableOfAnOlderLayout_GainsTheColumnsAndTheRows()
    {
        var rows = new List<(long Driver, double? ConvRate, long? Trips, int? Status, DateTimeOffset? EventTime, DateTimeOffset LogTime, bool HasRequestId)>();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand(
            "SELECT driver_id, hourly__conv_rate, hourly__trips, hourly__conv_rate__status, hourly__conv_rate__timestamp, __log_timestamp, __request_id IS NOT NULL " +
            "FROM served_logs ORDER BY __log_timestamp, driver_id", connection);
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : new DateTimeOffset(reader.GetDateTime(i), TimeSpan.Zero);
            rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetDouble(1), reader.IsDBNull(2) ? null : reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetInt32(3), Time(4), Time(5)!.Value, reader.GetBoolean(6)));
        }

        // The older row keeps nulls in the columns added after it; then the three reads at 10:00 and the one at 10:30,
        // statuses as Feast's numbers (1 PRESENT, 3 NOT_FOUND), event times those of the rows served (08:00).
        Assert.Equal(
            [
                (999L, null, null, null, null, At(8), false),
                (1001L, 0.5, 10L, 1, At(8), At(10), true),
                (1002L, 0.25, 20L, 1, At(8), At(10), true),
                (1003L, null, null, 3, null, At(10), true),
                (1001L, 0.5, 10L, 1, At(8), At(10.5), true),
            ],
            rows);
    }

    [Fact]
    public async Task ComputeDrift_LogTableAgainstLogFilesOfTheSameReads_NoDrift()
    {
        await using var store = NewStore();

        var report = await store.ComputeDriftAsync(
            DriftSpec.Parse("logs:to_files", "--reference"), DriftSpec.Parse("logs:to_table", "--current"), null, "to_table");

        // Both services served the same four reads (the table's older row has no values): the same distributions.
        Assert.Equal(
            [("hourly__conv_rate", 0.0, 0.0, FeatureDrift.Ok), ("hourly__trips", 0.0, 0.0, FeatureDrift.Ok)],
            report.Features.OrderBy(f => f.Feature, StringComparer.Ordinal).Select(f => (f.Feature, f.Psi, f.KsD, f.Status)));
    }

    [Fact]
    public async Task ComputeSkew_RangeBetweenTheReads_ReportsNoRows()
    {
        await using var store = NewStore();

        var report = await store.ComputeSkewAsync("to_files", At(10).AddMilliseconds(1), At(10.5).AddMilliseconds(-1));

        Assert.Equal(0, report.Rows);
    }
}
