using Granary.Conformance;
using Granary.Online;

namespace Granary.Postgres.Tests;

/// <summary>The online conformance suite on PostgreSQL; every test uses its own project, hence its own table.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOnlineStoreTests(PostgresServer server) : OnlineStoreTests
{
    protected override Task<OnlineStore> CreateStoreAsync() =>
        Task.FromResult<OnlineStore>(new PostgresOnlineStore(new PostgresOnlineStoreOptions { ConnectionString = server.ConnectionString() }));
}

/// <summary>The same suite with the tables in a schema of their own, and statements of two rows so batches are split.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOnlineStoreInSchemaTests(PostgresServer server) : OnlineStoreTests
{
    protected override Task<OnlineStore> CreateStoreAsync() =>
        Task.FromResult<OnlineStore>(new PostgresOnlineStore(new PostgresOnlineStoreOptions
        {
            ConnectionString = server.ConnectionString(),
            Schema = "online store; \"odd\"",
            RowsPerStatement = 2,
        }));
}
