namespace Granary.Registry;

/// <summary>The SQL database a <see cref="SqlRegistry"/> runs on; the few statements that differ follow it.</summary>
public enum SqlRegistryDialect
{
    /// <summary>PostgreSQL: row locks (<c>SELECT ... FOR UPDATE</c>) serialize applies of a project.</summary>
    PostgreSql,

    /// <summary>SQLite: a write-ahead-log file; <c>BEGIN IMMEDIATE</c> serializes applies.</summary>
    Sqlite,
}
