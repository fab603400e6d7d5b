using Granary.Registry;

namespace Granary.Postgres;

/// <summary>Options of the <see cref="SqlRegistry"/> on PostgreSQL: the connection only.</summary>
public sealed class PostgresRegistryOptions : PostgresOptions
{
    /// <summary>Opens a registry on PostgreSQL with these options.</summary>
    /// <exception cref="GranaryException">The options are invalid, or a named password variable is not set.</exception>
    public SqlRegistry CreateRegistry(TimeProvider? timeProvider = null) =>
        new(PostgresDataSources.Create(this, "registry"), SqlRegistryDialect.PostgreSql, timeProvider);
}
