using Granary.Registry;

namespace Granary.Postgres;

/// <summary>Options of the <see cref="SqlRegistry"/> on PostgreSQL: the connection only.</summary>
public sealed class PostgresRegistryOptions : PostgresOptions
{
    /// <summary>Opens a registry on PostgreSQL with these options.</summary>
    /// <param name="timeProvider">The clock that stamps applies.</param>
    /// <param name="sourceKinds">The source kinds it stores; the core's and <c>postgres_source</c> when null.</param>
    /// <exception cref="GranaryException">The options are invalid, or a named password variable is not set.</exception>
    public SqlRegistry CreateRegistry(TimeProvider? timeProvider = null, Definitions.SourceKinds? sourceKinds = null) =>
        new(PostgresDataSources.Create(this, "registry"), PostgresRegistryDialect.Instance, timeProvider,
            sourceKinds ?? new Definitions.SourceKinds().Add(PostgresSource.SourceKind));
}
