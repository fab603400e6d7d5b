using Granary.Definitions;
using Granary.Offline;
using Granary.Registry;
using Granary.Repo;
using Granary.Testing;
using Npgsql;

namespace Granary.Postgres.Tests;

/// <summary>What Granary 0.1 wrote for PostgreSQL (tests/fixtures/release-0.1) reads in 0.2, and its SQL registry tables migrate in place.</summary>
[Collection(PostgresCollection.Name)]
public sealed class Release01PostgresTests(PostgresServer server) : IDisposable
{
    private readonly Release01Fixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Get_PostgresSourcesWrittenBy01_ReadWithThePostgresKind()
    {
        await using var registry = new FileRegistry(_fixture.RegistryJsonPath, sourceKinds: new SourceKinds().Add(PostgresSource.SourceKind));

        var set = (await registry.GetAsync("warehouse"))!.Definitions;

        var orders = Assert.IsType<PostgresSource>(set.FindSource("orders"));
        Assert.Equal(("sales.orders", "ordered_at", "loaded_at", "total"), (orders.Table, orders.TimestampField, orders.CreatedTimestampColumn, orders.FieldMapping["total_eur"]));
        Assert.Equal("SELECT customer_id, refunded_at, amount FROM sales.refunds WHERE amount > 0", Assert.IsType<PostgresSource>(set.FindSource("refunds")).Query);
        Assert.True(RegistryDiff.Compute(set, FeatureRepo.LoadDefinitions(_fixture.WarehousePath, new SourceKinds().Add(PostgresSource.SourceKind))).IsEmpty);
    }

    [Fact]
    public async Task Open_TablesInThe01Layout_MigratesThemAndReadsTheProject()
    {
        var connectionString = await server.CreateDatabaseAsync("layout01");
        var json = await File.ReadAllTextAsync(_fixture.RegistryJsonPath);
        var warehouse = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("projects").GetProperty("warehouse").GetProperty("definitions").GetRawText();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();

            // The statements of Granary 0.1's SqlRegistry (commit 124b888), and one project row as it wrote them.
            foreach (var sql in new[]
            {
                "CREATE TABLE granary_registry_projects (name text PRIMARY KEY, version bigint NOT NULL, updated_at bigint NOT NULL, definitions text NOT NULL)",
                "CREATE TABLE granary_registry_materializations (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, project text NOT NULL, view_name text NOT NULL, start_us bigint NOT NULL, end_us bigint NOT NULL, recorded_us bigint NOT NULL)",
                "CREATE INDEX granary_registry_materializations_project ON granary_registry_materializations (project, id)",
            })
            {
                await using var create = new NpgsqlCommand(sql, connection);
                await create.ExecuteNonQueryAsync();
            }

            await using var insert = new NpgsqlCommand("INSERT INTO granary_registry_projects VALUES ('warehouse', 3, 1764518400000000, @definitions)", connection);
            insert.Parameters.AddWithValue("definitions", warehouse);
            await insert.ExecuteNonQueryAsync();
        }

        await using var registry = new PostgresRegistryOptions { ConnectionString = connectionString }.CreateRegistry();
        var snapshot = (await registry.GetAsync("warehouse"))!;

        Assert.Equal((3L, new DateTimeOffset(2025, 11, 30, 16, 0, 0, TimeSpan.Zero)), (snapshot.Version, snapshot.UpdatedAt));
        Assert.Equal("sales.orders", Assert.IsType<PostgresSource>(snapshot.Definitions.FindSource("orders")).Table);
        Assert.Equal(4, (await registry.ApplyAsync("warehouse", snapshot.Definitions, 3)).Version);
        await registry.SaveDatasetAsync("warehouse", new Granary.Datasets.SavedDataset
        {
            Name = "after_upgrade",
            CreatedAt = snapshot.UpdatedAt,
            RegistryVersion = 4,
            Features = ["orders:total"],
            Entities = new Granary.Datasets.DatasetEntities { Kind = Granary.Datasets.DatasetEntities.SqlKind, Sql = "SELECT 1" },
            Path = "data/datasets/after_upgrade/data.parquet",
            Columns = ["customer_id", "event_timestamp", "orders__total"],
            Rows = 3,
            Sha256 = new string('d', 64),
        });
        Assert.Equal(["after_upgrade"], (await registry.ListDatasetsAsync("warehouse")).Select(d => d.Name));
        await using var check = new NpgsqlConnection(connectionString);
        await check.OpenAsync();
        await using var layout = new NpgsqlCommand($"SELECT version FROM {SqlRegistry.LayoutTable}", check);
        Assert.Equal(SqlRegistry.LayoutVersion, (int)(await layout.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public async Task CommandTimeout_ZeroIsNoLimitAndOneSecondCancels(int seconds, bool completes)
    {
        var repo = Directory.CreateTempSubdirectory("granary-pg-timeout-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(repo, "granary.yaml"), $"""
                project: timeout
                offline_store:
                  type: postgres
                  connection_string: "{server.ConnectionString()}"
                  command_timeout: {seconds}
                """);
            await using var store = new FeatureStoreBuilder(FeatureRepo.LoadConfig(repo)).AddPostgres().Build();
            // The cancelled query sleeps far past its limit: Npgsql cancels on the server after the
            // timeout, and a query that ends before the cancel arrives (a busy machine) succeeds.
            var sleep = completes ? "1.5" : "30";
            var request = new HistoricalRequest(EntityInput.FromSql($"SELECT 1::bigint AS id, now() AS event_timestamp FROM pg_sleep({sleep})"), []);

            var run = async () =>
            {
                await using var result = await store.Offline.GetHistoricalFeaturesAsync(request);
                await foreach (var batch in result.ReadAsync())
                {
                    Assert.Equal(1, batch.Length);
                }
            };

            if (completes)
            {
                await run();
            }
            else
            {
                var error = await Assert.ThrowsAnyAsync<Exception>(run);
                Assert.Contains("timeout", error.ToString(), StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            Directory.Delete(repo, recursive: true);
        }
    }
}
