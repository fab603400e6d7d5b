using Granary.Definitions;

namespace Granary.Postgres;

/// <summary>A source in a PostgreSQL table or query, read by the PostgreSQL offline store (YAML kind <c>postgres_source</c>).</summary>
public sealed record PostgresSource : DataSource
{
    /// <summary>The YAML kind.</summary>
    public const string KindName = "postgres_source";

    /// <summary>The kind: its YAML name, its registry discriminator (<c>postgres</c>, as Granary 0.1 wrote it) and its keys.</summary>
    public static SourceKind SourceKind { get; } = new(KindName, "postgres", typeof(PostgresSource), (yaml, name) =>
    {
        var source = new PostgresSource { Name = name, Table = yaml.String("table"), Query = yaml.String("query") };
        if ((source.Table is null) == (source.Query is null))
        {
            yaml.Error("name", "give exactly one of 'table' or 'query'");
        }

        return source;
    });

    /// <summary>A table name, optionally schema-qualified (<c>schema.table</c>); exclusive with <see cref="Query"/>.</summary>
    public string? Table { get; init; }

    /// <summary>A SELECT whose result is the source; exclusive with <see cref="Table"/>.</summary>
    public string? Query { get; init; }

    /// <inheritdoc/>
    public override string Kind => KindName;
}
