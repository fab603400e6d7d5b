namespace Granary.Definitions;

/// <summary>
/// Features chosen by references (<c>view:feature</c>) or a feature service, resolved against a
/// definition set: views in first-mention order, each with its features and output names.
/// </summary>
public sealed record FeatureSelection(IReadOnlyList<SelectedView> Views, bool FullFeatureNames)
{
    /// <summary>Every selected feature's output name, in output order.</summary>
    public IEnumerable<string> OutputNames => Views.SelectMany(v => v.Features.Select(f => f.OutputName));

    /// <summary>
    /// Resolves what a request names: feature references (<c>view:feature</c>) or a feature
    /// service, never both; throws <see cref="GranaryException"/> for both, unknown names or clashes.
    /// </summary>
    public static FeatureSelection From(DefinitionSet set, IReadOnlyList<string>? features, string? featureService, bool fullFeatureNames)
    {
        if (featureService is not null && features is { Count: > 0 })
        {
            throw new GranaryException("give either feature references or a feature service, not both");
        }

        return featureService is not null
            ? FromService(set, featureService, fullFeatureNames)
            : FromReferences(set, features ?? [], fullFeatureNames);
    }

    /// <summary>Resolves <c>view:feature</c> references; throws <see cref="GranaryException"/> for unknown ones or clashes.</summary>
    public static FeatureSelection FromReferences(DefinitionSet set, IEnumerable<string> references, bool fullFeatureNames)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(references);
        var projections = new List<FeatureProjection>();
        foreach (var reference in references)
        {
            var colon = reference.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == reference.Length - 1)
            {
                throw new GranaryException($"feature reference '{reference}' must have the form view:feature");
            }

            projections.Add(new FeatureProjection(reference[..colon], [reference[(colon + 1)..]]));
        }

        if (projections.Count == 0)
        {
            throw new GranaryException("no features requested: give feature references (view:feature) or a feature service");
        }

        return Resolve(set, projections, fullFeatureNames);
    }

    /// <summary>Resolves a feature service's features.</summary>
    public static FeatureSelection FromService(DefinitionSet set, string serviceName, bool fullFeatureNames)
    {
        ArgumentNullException.ThrowIfNull(set);
        var service = set.FindFeatureService(serviceName)
            ?? throw new FeatureServiceNotFoundException(serviceName);
        return Resolve(set, service.Features, fullFeatureNames);
    }

    private static FeatureSelection Resolve(DefinitionSet set, IEnumerable<FeatureProjection> projections, bool fullFeatureNames)
    {
        var order = new List<string>();
        var chosen = new Dictionary<string, List<Field>>(StringComparer.Ordinal);
        var views = new Dictionary<string, Definition>(StringComparer.Ordinal);
        foreach (var projection in projections)
        {
            Definition view = (Definition?)set.FindFeatureView(projection.View)
                ?? (Definition?)set.FindAggregationView(projection.View)
                ?? (Definition?)set.FindOnDemandFeatureView(projection.View)
                ?? throw new DefinitionNotFoundException("feature view", projection.View, $"unknown feature view '{projection.View}'");
            var schema = view switch
            {
                FeatureView fv => fv.Schema,
                AggregationView av => av.Schema,
                _ => ((OnDemandFeatureView)view).Schema,
            };
            if (!chosen.TryGetValue(view.Name, out var fields))
            {
                fields = [];
                chosen[view.Name] = fields;
                views[view.Name] = view;
                order.Add(view.Name);
            }

            foreach (var name in projection.Features ?? schema.Select(f => f.Name).ToArray())
            {
                var field = schema.FirstOrDefault(f => f.Name == name)
                    ?? throw new DefinitionNotFoundException("feature", name, $"feature view '{view.Name}' has no feature '{name}'; it has {string.Join(", ", schema.Select(f => f.Name))}");
                if (!fields.Contains(field))
                {
                    fields.Add(field);
                }
            }
        }

        var selected = order.Select(name => new SelectedView(
            views[name],
            chosen[name].Select(f => new SelectedFeature(f, fullFeatureNames ? $"{name}__{f.Name}" : f.Name)).ToArray())).ToArray();
        var clash = selected.SelectMany(v => v.Features.Select(f => (View: v.View.Name, f.OutputName)))
            .GroupBy(x => x.OutputName).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            var owners = string.Join(" and ", clash.Select(c => $"'{c.View}'"));
            throw new GranaryException($"feature name '{clash.Key}' comes from both {owners}; use full feature names (--full-feature-names) to tell them apart");
        }

        return new FeatureSelection(selected, fullFeatureNames);
    }
}
