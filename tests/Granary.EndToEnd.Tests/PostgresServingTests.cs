using Granary.Conformance;
using Granary.Definitions;
using Granary.Offline;
using Granary.Online;
using Granary.Postgres;

namespace Granary.EndToEnd.Tests;

/// <summary>
/// The suite on PostgreSQL alone: sources are tables, training data is joined by the PostgreSQL
/// offline store and served by the PostgreSQL online store, each test in a database of its own.
/// </summary>
public sealed class PostgresServingTests(PostgresServer server) : ServingAgreesWithTrainingTests, IClassFixture<PostgresServer>
{
    private string? _database;

    protected override SourceKinds SourceKinds { get; } = new SourceKinds().Add(PostgresSource.SourceKind);

    private async Task<string> DatabaseAsync() => _database ??= await server.CreateDatabaseAsync("serving");

    protected override async Task<OfflineStore> CreateOfflineStoreAsync(string repoPath) =>
        new PostgresOfflineStore(new PostgresOfflineStoreOptions { ConnectionString = await DatabaseAsync(), BatchSize = 2 });

    protected override async Task<DataSource> CreateSourceAsync(string repoPath, string name, TestTable table)
    {
        await PostgresTables.CreateAsync(await DatabaseAsync(), name, table);
        return new PostgresSource { Name = name, Table = name };
    }

    protected override async Task<OnlineStore> CreateOnlineStoreAsync(string repoPath) =>
        new PostgresOnlineStore(new PostgresOnlineStoreOptions { ConnectionString = await DatabaseAsync() });
}
