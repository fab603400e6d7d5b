using Granary.Definitions;

namespace Granary.Statistics;

/// <summary>
/// A feature as reports name it (<c>view__feature</c>), with its view and field, resolved from feature
/// references or a feature service: the common start of statistics, drift and skew.
/// </summary>
/// <param name="Name">The report name, <c>view__feature</c> (also its column in logs and saved datasets).</param>
/// <param name="View">The feature view, aggregation view or on-demand view.</param>
/// <param name="Field">The feature.</param>
public sealed record ObservedFeature(string Name, Definition View, Field Field)
{
    /// <summary>Whether the feature is a column of its view's source (a feature view's), rather than computed.</summary>
    public bool IsSourceColumn => View is FeatureView;

    /// <summary>The features named by <paramref name="features"/> (<c>view:feature</c>) or <paramref name="service"/>, in order.</summary>
    /// <exception cref="GranaryException">Neither or both are given, or a name is unknown.</exception>
    public static IReadOnlyList<ObservedFeature> Resolve(DefinitionSet set, IReadOnlyList<string>? features, string? service)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (service is null && features is not { Count: > 0 })
        {
            throw new GranaryException("give the features: --features view:feature,... or --feature-service NAME");
        }

        var selection = FeatureSelection.From(set, features, service, fullFeatureNames: true);
        return selection.Views.SelectMany(v => v.Features.Select(f => new ObservedFeature(f.OutputName, v.View, f.Field))).ToArray();
    }
}
