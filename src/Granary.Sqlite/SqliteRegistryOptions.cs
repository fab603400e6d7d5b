using System.ComponentModel.DataAnnotations;
using Granary.Definitions;
using Granary.Registry;
using Granary.Repo;
using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>Options of the SQL registry on a SQLite file: <c>registry: { type: sql, dialect: sqlite, path: ... }</c>.</summary>
public sealed class SqliteRegistryOptions
{
    /// <summary>The database file, relative to the repo (which it may not leave); default <c>data/registry.db</c>.</summary>
    [YamlKey("path", RepoPath = true)]
    [Required]
    public string Path { get; set; } = "data/registry.db";

    /// <summary>Opens a registry on the SQLite file at <see cref="Path"/> (absolute when built in code).</summary>
    /// <param name="timeProvider">The clock that stamps applies.</param>
    /// <param name="sourceKinds">The source kinds it stores; the core's when null.</param>
    public SqlRegistry CreateRegistry(TimeProvider? timeProvider = null, SourceKinds? sourceKinds = null)
    {
        ConfigBinder.Validate(this, "registry (sqlite)");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path }.ConnectionString;
        return new SqlRegistry(SqliteFactory.Instance.CreateDataSource(connectionString), SqliteRegistryDialect.Instance, timeProvider, sourceKinds);
    }
}
