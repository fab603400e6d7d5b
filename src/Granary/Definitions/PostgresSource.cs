namespace Granary.Definitions;

/// <summary>A source in a PostgreSQL table or query, read by the PostgreSQL offline store.</summary>
public sealed record PostgresSource : DataSource
{
    /// <summary>The YAML kind.</summary>
    public const string KindName = "postgres_source";

    /// <summary>A table name, optionally schema-qualified (<c>schema.table</c>); exclusive with <see cref="Query"/>.</summary>
    public string? Table { get; init; }

    /// <summary>A SELECT whose result is the source; exclusive with <see cref="Table"/>.</summary>
    public string? Query { get; init; }

    /// <inheritdoc/>
    public override string Kind => KindName;
}
