using Granary.Definitions;

namespace Granary.Offline;

/// <summary>One feature view's part of a retrieval, with every reference already resolved.</summary>
/// <param name="View">The view.</param>
/// <param name="Source">The source its history is read from.</param>
/// <param name="JoinKeys">The join keys of the view's entities, in order.</param>
/// <param name="Features">The features to read, in output order.</param>
/// <param name="EventTimestampOutputName">
/// When set, the output also gets a column of this name with the event time of the chosen row
/// (null when none was chosen or it is outside the ttl); on-demand views read it as <c>event_time</c>.
/// </param>
public sealed record ViewRequest(
    FeatureView View,
    DataSource Source,
    IReadOnlyList<JoinKey> JoinKeys,
    IReadOnlyList<RequestedFeature> Features,
    string? EventTimestampOutputName = null)
{
    /// <summary>
    /// Resolves <paramref name="view"/>'s source and the join keys of its entities against
    /// <paramref name="set"/> and asks for <paramref name="features"/> under their output names.
    /// </summary>
    /// <exception cref="GranaryException">The view's source or one of its entities is not in <paramref name="set"/>.</exception>
    public static ViewRequest For(DefinitionSet set, FeatureView view, IReadOnlyList<SelectedFeature> features)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(features);
        var source = set.BatchSourceOf(view)
            ?? throw new GranaryException($"feature view '{view.Name}': source '{view.Source}' is not in the registry");
        var keys = view.Entities
            .Select(name => set.FindEntity(name) ?? throw new GranaryException($"feature view '{view.Name}': entity '{name}' is not in the registry"))
            .SelectMany(entity => entity.JoinKeys.Select(k => new JoinKey(k, entity.ValueType)))
            .ToArray();
        return new ViewRequest(view, source, keys, features.Select(f => new RequestedFeature(f.Field, f.OutputName)).ToArray());
    }

    /// <summary>The output columns this view adds, in order: the features, then the event time if asked for.</summary>
    public IEnumerable<string> OutputNames =>
        EventTimestampOutputName is null ? Features.Select(f => f.OutputName) : Features.Select(f => f.OutputName).Append(EventTimestampOutputName);
}
