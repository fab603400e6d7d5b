using Granary.Conformance;
using Granary.Online;

namespace Granary.Postgres.Tests;

/// <summary>The online conformance suite on PostgreSQL; every test uses its own project, hence its own table.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOnlineStoreTests(PostgresServer server) : OnlineStoreTests
{
    protected override Task<OnlineStore> CreateStoreAsync() =>
        Task.FromResult<OnlineStore>(new PostgresOnlineStore(new PostgresOnlineStoreOptions { ConnectionString = server.ConnectionString() }));

    protected override Task<(OnlineStore Store, string Name)> CreateUnreachableStoreAsync() => Unreachable.CreateAsync();
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

    protected override Task<(OnlineStore Store, string Name)> CreateUnreachableStoreAsync() => Unreachable.CreateAsync();
}

/// <summary>A PostgreSQL store pointed at a port nobody listens on, as when the server is down.</summary>
internal static class Unreachable
{
    public static Task<(OnlineStore Store, string Name)> CreateAsync()
    {
        var port = LoopbackPort.Free();
        var store = new PostgresOnlineStore(new PostgresOnlineStoreOptions { ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres" });
        return Task.FromResult<(OnlineStore, string)>((store, $"127.0.0.1:{port}"));
    }
}
