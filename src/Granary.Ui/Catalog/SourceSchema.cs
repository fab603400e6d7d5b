using Granary.Offline;

namespace Granary.Ui.Catalog;

/// <summary>A data source's columns as the offline store reads them from the data, or why they could not be read.</summary>
/// <param name="Columns">The columns, or null.</param>
/// <param name="Error">The store's message, or null.</param>
public sealed record SourceSchema(IReadOnlyList<SourceColumn>? Columns, string? Error);
