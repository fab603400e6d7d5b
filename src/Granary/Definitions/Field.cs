namespace Granary.Definitions;

/// <summary>A named, typed column: a feature of a view or a field of a request source.</summary>
public sealed record Field
{
    /// <summary>The column's name as Granary sees it (after a source's field mapping).</summary>
    public required string Name { get; init; }

    /// <summary>The declared type.</summary>
    public required DataType Dtype { get; init; }

    /// <summary>Free text.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// For on-demand views only: the expression that computes this field from the view's sources.
    /// </summary>
    public string? Expression { get; init; }
}
