using Granary.Offline;

namespace Granary.Datasets;

/// <summary>What <c>granary dataset create</c> asks for: a name, entity rows, features and where the data goes.</summary>
public sealed record DatasetRequest
{
    /// <summary>The dataset's name: a letter or underscore, then letters, digits or underscores.</summary>
    public required string Name { get; init; }

    /// <summary>The entity rows.</summary>
    public required EntityInput Entities { get; init; }

    /// <summary>Feature references (<c>view:feature</c>); exclusive with <see cref="FeatureService"/>.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>A feature service; exclusive with <see cref="Features"/>.</summary>
    public string? FeatureService { get; init; }

    /// <summary>The Parquet file to write; <c>data/datasets/NAME/data.parquet</c> under the repo when null. It must not exist.</summary>
    public string? Output { get; init; }

    /// <summary>The entity rows' time column.</summary>
    public string TimestampColumn { get; init; } = HistoricalRequest.DefaultTimestampColumn;
}
