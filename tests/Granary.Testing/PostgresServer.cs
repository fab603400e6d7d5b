namespace Granary.Testing;

/// <summary>
/// A throwaway PostgreSQL server (see <see cref="TempPostgres"/>) as an xunit fixture: a test assembly
/// shares one through a collection of its own (xunit reads collection definitions only from the
/// assembly of the tests), or a test class takes one as a class fixture.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly TempPostgres _server = new();

    /// <summary>A connection string for <paramref name="database"/> as the superuser (no password).</summary>
    public string ConnectionString(string database = "postgres") => _server.ConnectionString(database);

    /// <summary>Creates a fresh database with a unique name and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string prefix = "test") => _server.CreateDatabaseAsync(prefix);

    /// <inheritdoc/>
    public Task InitializeAsync() => _server.StartAsync();

    /// <inheritdoc/>
    public async Task DisposeAsync() => await _server.DisposeAsync();
}
