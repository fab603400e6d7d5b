using System.Data.Common;

namespace Granary.Registry;

/// <summary>
/// What a SQL database brings to a <see cref="SqlRegistry"/>: its connections and the few statements
/// that differ between databases (table creation, row locks, whether a table exists). A backend
/// package adds its dialect with <see cref="FeatureStoreBuilder.AddSqlRegistryDialect"/>; the core
/// names no database.
/// </summary>
public abstract class SqlRegistryDialect
{
    /// <summary>The values of <c>registry.dialect</c> that choose this dialect, the usual one first (such as <c>postgres</c>, <c>postgresql</c>).</summary>
    public abstract IReadOnlyList<string> Names { get; }

    /// <summary>Whether this dialect serves a <c>registry: { type: sql }</c> that names no dialect (the first added so wins); false by default.</summary>
    public virtual bool IsDefault => false;

    /// <summary>
    /// Opens the database that a <c>registry: { type: sql, dialect: ... }</c> section names, binding
    /// the dialect's own options from the section (the key <c>dialect</c> is the caller's).
    /// </summary>
    public abstract DbDataSource CreateDataSource(StoreContext context);

    /// <summary>A query with one parameter <c>@name</c> that returns a row with a non-zero value when that table exists.</summary>
    public abstract string TableExistsSql { get; }

    /// <summary>
    /// <c>SELECT version FROM projects WHERE name = @project</c>, written so that the project's row
    /// stays locked until the transaction ends (PostgreSQL: <c>FOR UPDATE</c>; a database whose
    /// transactions take the write lock at once needs nothing more).
    /// </summary>
    public abstract string SelectVersionForUpdateSql { get; }

    /// <summary>
    /// The statements that bring the registry's tables from layout <paramref name="version"/> - 1 to
    /// <paramref name="version"/> (1 creates the tables of Granary 0.1; see <see cref="SqlRegistry.LayoutVersion"/>).
    /// </summary>
    public abstract IReadOnlyList<string> MigrationSql(int version);

    /// <summary>Statements run first in the transaction that creates or migrates the tables, to serialize it across machines; none by default.</summary>
    public virtual IReadOnlyList<string> LockLayoutSql => [];

    /// <summary>Prepares a newly opened connection (SQLite: the write-ahead log); nothing by default.</summary>
    public virtual Task InitializeConnectionAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;
}
