using Granary.Definitions;

namespace Granary.Conformance;

/// <summary>
/// A source kind that belongs to no backend, defined here so that the registry suite proves every
/// registry stores a kind it was handed through <see cref="SourceKinds"/>, not one it knows by name.
/// </summary>
public sealed record WarehouseSource : DataSource
{
    /// <summary>The kind: YAML <c>warehouse_source</c>, registry discriminator <c>warehouse</c>.</summary>
    public static SourceKind SourceKind { get; } = new("warehouse_source", "warehouse", typeof(WarehouseSource),
        (yaml, name) => new WarehouseSource { Name = name, Table = yaml.String("table"), Query = yaml.String("query") });

    /// <summary>A table name.</summary>
    public string? Table { get; init; }

    /// <summary>A query.</summary>
    public string? Query { get; init; }

    /// <inheritdoc/>
    public override string Kind => "warehouse_source";
}
