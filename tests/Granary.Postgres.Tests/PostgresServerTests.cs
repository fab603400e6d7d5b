using Npgsql;

namespace Granary.Postgres.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task CreateDatabase_TwoCalls_GiveSeparateDatabasesOnTheLoopbackServer()
    {
        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();

        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_database(), inet_server_addr()::text, current_setting('fsync')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.NotEqual(new NpgsqlConnectionStringBuilder(second).Database, reader.GetString(0));
        Assert.Equal(new NpgsqlConnectionStringBuilder(first).Database, reader.GetString(0));
        Assert.Equal("127.0.0.1/32", reader.GetString(1));
        Assert.Equal("off", reader.GetString(2));
    }
}
