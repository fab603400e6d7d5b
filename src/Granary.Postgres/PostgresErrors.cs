using Npgsql;

namespace Granary.Postgres;

/// <summary>Turns Npgsql's exceptions into messages for the user: the server's text, where it connects, never a password.</summary>
internal static class PostgresErrors
{
    public static GranaryException Translate(string what, NpgsqlDataSource dataSource, Exception e) => e switch
    {
        PostgresException p => new GranaryException($"{what} (PostgreSQL at {PostgresDataSources.Describe(dataSource)}): {p.MessageText}{Where(p)}", e),
        NpgsqlException => new GranaryException($"{what}: cannot reach PostgreSQL at {PostgresDataSources.Describe(dataSource)} ({e.Message})", e),
        _ => new GranaryException($"{what}: {e.Message}", e),
    };

    private static string Where(PostgresException e) => e.ColumnName is { } column ? $" (column '{column}')" : string.Empty;
}
