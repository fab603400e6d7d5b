using System.Data.Common;
using Granary.Registry;

namespace Granary.Postgres;

/// <summary>The <see cref="SqlRegistry"/> on PostgreSQL: <c>registry: { type: sql, dialect: postgres, connection_string: ... }</c>.</summary>
internal sealed class PostgresRegistryDialect : SqlRegistryDialect
{
    public static PostgresRegistryDialect Instance { get; } = new();

    public override IReadOnlyList<string> Names { get; } = ["postgres", "postgresql"];

    // 0.1 documented dialect: postgres as the default of registry: { type: sql }.
    public override bool IsDefault => true;

    public override string TableExistsSql => "SELECT CASE WHEN to_regclass(@name) IS NULL THEN 0 ELSE 1 END";

    // The row lock makes a concurrent apply wait, then see the new version and fail.
    public override string SelectVersionForUpdateSql => $"SELECT version FROM {SqlRegistry.ProjectsTable} WHERE name = @project FOR UPDATE";

    // Concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL's catalogs: serialize it.
    public override IReadOnlyList<string> LockLayoutSql { get; } = ["SELECT pg_advisory_xact_lock(7290431157)"];

    public override DbDataSource CreateDataSource(StoreContext context) =>
        PostgresDataSources.Create(context.Bind(new PostgresRegistryOptions(), "dialect"), "registry", loggerFactory: context.LoggerFactory);

    public override IReadOnlyList<string> MigrationSql(int version) => version switch
    {
        1 =>
        [
            $"CREATE TABLE IF NOT EXISTS {SqlRegistry.ProjectsTable} (name text PRIMARY KEY, version bigint NOT NULL, updated_at bigint NOT NULL, definitions text NOT NULL)",
            $"CREATE TABLE IF NOT EXISTS {SqlRegistry.MaterializationsTable} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, project text NOT NULL, " +
            "view_name text NOT NULL, start_us bigint NOT NULL, end_us bigint NOT NULL, recorded_us bigint NOT NULL)",
            $"CREATE INDEX IF NOT EXISTS {SqlRegistry.MaterializationsTable}_project ON {SqlRegistry.MaterializationsTable} (project, id)",
        ],
        2 => [$"CREATE TABLE IF NOT EXISTS {SqlRegistry.LayoutTable} (version integer NOT NULL)"],
        3 =>
        [
            $"CREATE TABLE IF NOT EXISTS {SqlRegistry.DatasetsTable} (project text NOT NULL, name text NOT NULL, created_us bigint NOT NULL, manifest text NOT NULL, " +
            "PRIMARY KEY (project, name))",
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "no such registry layout"),
    };
}
