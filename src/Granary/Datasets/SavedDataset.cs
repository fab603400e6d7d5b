using Granary.Statistics;

namespace Granary.Datasets;

/// <summary>
/// The manifest of a saved dataset (<c>granary dataset create</c>), recorded in the registry: what was
/// asked for, under which registry version, where the training data went and what it held, so that it
/// can be described, verified by recomputing it and used as a drift reference.
/// </summary>
public sealed record SavedDataset
{
    /// <summary>The dataset's name, unique in its project; the rule of object names.</summary>
    public required string Name { get; init; }

    /// <summary>When it was created (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The registry version its features were read under.</summary>
    public required long RegistryVersion { get; init; }

    /// <summary>The feature references (<c>view:feature</c>), in column order.</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>The feature service the features came from, if one was named.</summary>
    public string? FeatureService { get; init; }

    /// <summary>The entity rows it was computed for.</summary>
    public required DatasetEntities Entities { get; init; }

    /// <summary>The Parquet file holding the data: relative to the repo when inside it, else absolute.</summary>
    public required string Path { get; init; }

    /// <summary>The columns of the data, in order: the entity rows' columns, then <c>view__feature</c> per feature.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>Rows of data.</summary>
    public required long Rows { get; init; }

    /// <summary>The SHA-256 of the data's content (<see cref="DatasetDigest"/>): the rows and their values, not the file's bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The entity rows' earliest time; null without rows.</summary>
    public DateTimeOffset? EventTimeStart { get; init; }

    /// <summary>The entity rows' latest time; null without rows.</summary>
    public DateTimeOffset? EventTimeEnd { get; init; }

    /// <summary>The statistics of each feature column, as <c>granary stats</c> computes them.</summary>
    public IReadOnlyList<FeatureStatistics> Profile { get; init => field = value ?? []; } = [];
}
