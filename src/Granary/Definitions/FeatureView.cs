namespace Granary.Definitions;

/// <summary>A group of features read from one source and keyed by one or more entities.</summary>
public sealed record FeatureView : Definition
{
    /// <summary>The YAML kind.</summary>
    public const string KindName = "feature_view";

    /// <summary>Entity names; several give a composite key.</summary>
    public required IReadOnlyList<string> Entities { get; init; }

    /// <summary>The name of the source the features are read from.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// How old a row may be, relative to the time it is looked up for, and still be used;
    /// <see cref="TimeSpan.Zero"/> means no limit.
    /// </summary>
    public TimeSpan Ttl { get; init; }

    /// <summary>Whether the view is materialized to and served from the online store.</summary>
    public bool Online { get; init; } = true;

    /// <summary>The features, in order.</summary>
    public required IReadOnlyList<Field> Schema { get; init; }

    /// <summary>The feature named <paramref name="name"/>, or null.</summary>
    public Field? FindFeature(string name)
    {
        foreach (var field in Schema)
        {
            if (field.Name == name)
            {
                return field;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public override string Kind => KindName;
}
