namespace Granary.Datasets;

/// <summary>Where a saved dataset's entity rows came from: a file (with its SHA-256), a query, or every entity at one time.</summary>
public sealed record DatasetEntities
{
    /// <summary>Entity rows from a file.</summary>
    public const string FileKind = "file";

    /// <summary>Entity rows from a query of the offline store.</summary>
    public const string SqlKind = "sql";

    /// <summary>Every entity key of the views' sources at one time.</summary>
    public const string AllKind = "all";

    /// <summary><see cref="FileKind"/>, <see cref="SqlKind"/> or <see cref="AllKind"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The file, relative to the repo when inside it, else absolute.</summary>
    public string? Path { get; init; }

    /// <summary>The SHA-256 of the file's bytes when the dataset was created; <c>dataset verify</c> reports a file that changed since.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The query.</summary>
    public string? Sql { get; init; }

    /// <summary>The time every entity was looked up at.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>The entity rows' time column.</summary>
    public string TimestampColumn { get; init; } = Offline.HistoricalRequest.DefaultTimestampColumn;
}
