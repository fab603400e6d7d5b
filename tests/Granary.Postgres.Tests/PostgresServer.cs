namespace Granary.Postgres.Tests;

/// <summary>The test assembly's PostgreSQL server (see <see cref="TempPostgres"/>), shared through <see cref="PostgresCollection"/>.</summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly TempPostgres _server = new();

    /// <summary>A connection string for <paramref name="database"/> as the superuser (no password).</summary>
    public string ConnectionString(string database = "postgres") => _server.ConnectionString(database);

    /// <summary>Creates a fresh database with a unique name and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string prefix = "test") => _server.CreateDatabaseAsync(prefix);

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();
}
