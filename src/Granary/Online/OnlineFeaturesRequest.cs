namespace Granary.Online;

/// <summary>An online read as a user states it: features and entity rows, column by column.</summary>
public sealed record OnlineFeaturesRequest
{
    /// <summary>Feature references (<c>view:feature</c>); exclusive with <see cref="FeatureService"/>.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>A feature service name; exclusive with <see cref="Features"/>.</summary>
    public string? FeatureService { get; init; }

    /// <summary>
    /// The entity rows by column: each join key (and request field) with one value per row, as in
    /// the <c>entities</c> map of Feast's REST API. Every column has the same length.
    /// </summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<object?>> Entities { get; init; }

    /// <summary>Whether features are named <c>view__feature</c>.</summary>
    public bool FullFeatureNames { get; init; }

    /// <summary>
    /// The read's id, logged with the served features of a feature service with <c>logging</c>
    /// (<c>__request_id</c>); the feature server passes its request id. Null (the default) gets a new one.
    /// </summary>
    public string? RequestId { get; init; }
}
