using System.ComponentModel.DataAnnotations;
using Granary.Repo;

namespace Granary.Postgres;

/// <summary>How a PostgreSQL-backed store connects: what every PostgreSQL store's options share.</summary>
public abstract class PostgresOptions
{
    /// <summary>
    /// Npgsql's <c>key=value</c> connection string, such as
    /// <c>Host=db;Port=5432;Username=granary;Database=features</c>. Required. It must not contain a
    /// password: name an environment variable in <see cref="PasswordEnvironmentVariable"/> instead
    /// (without one, Npgsql's usual <c>PGPASSWORD</c> and <c>~/.pgpass</c> apply). The session
    /// time zone is always set to UTC.
    /// </summary>
    [YamlKey("connection_string")]
    [Required]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// The environment variable that holds the password, such as <c>GRANARY_PG_PASSWORD</c>;
    /// default none. When named, the variable must be set.
    /// </summary>
    [YamlKey("password_env")]
    public string? PasswordEnvironmentVariable { get; set; }

    /// <summary>
    /// Seconds a command may run before it is cancelled (<c>command_timeout</c>); default 0, which
    /// means no limit (as Npgsql's <c>CommandTimeout=0</c>); valid 0 to 86,400.
    /// </summary>
    [YamlKey("command_timeout")]
    [Range(0, 86_400)]
    public int CommandTimeoutSeconds { get; set; }
}
