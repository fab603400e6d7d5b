using Granary.Definitions;

namespace Granary.Transformations;

/// <summary>
/// What computing the on-demand views of a selection takes: the views in dependency order with
/// their compiled code, where each input comes from, and which feature view features and request
/// fields must be read for them. Training and serving both follow it, so both feed the same
/// compiled code the same inputs.
/// </summary>
internal sealed class OnDemandPlan
{
    private OnDemandPlan(
        IReadOnlyList<(CompiledOnDemandView View, IReadOnlyList<OnDemandBinding> Inputs)> steps,
        IReadOnlyDictionary<string, IReadOnlyList<Field>> features,
        IReadOnlyDictionary<string, IReadOnlyList<Field>> aggregationFeatures,
        IReadOnlyList<Field> requestFields)
    {
        Steps = steps;
        Features = features;
        AggregationFeatures = aggregationFeatures;
        RequestFields = requestFields;
    }

    /// <summary>The views to compute, sources first, each with one binding per compiled input.</summary>
    public IReadOnlyList<(CompiledOnDemandView View, IReadOnlyList<OnDemandBinding> Inputs)> Steps { get; }

    /// <summary>Per feature view, the features the steps read; a view read only for its event time has none.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Field>> Features { get; }

    /// <summary>Per aggregation view, the features the steps read.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Field>> AggregationFeatures { get; }

    /// <summary>The request fields the steps read.</summary>
    public IReadOnlyList<Field> RequestFields { get; }

    /// <summary>The feature views whose event time a step reads.</summary>
    public IEnumerable<string> EventTimeViews =>
        Steps.SelectMany(s => s.Inputs).Where(b => b.Kind == OnDemandInputKind.EventTime).Select(b => b.Source).Distinct(StringComparer.Ordinal);

    /// <summary>Whether there is anything to compute.</summary>
    public bool IsEmpty => Steps.Count == 0;

    /// <summary>Plans the on-demand views of <paramref name="selection"/>, compiling each with <paramref name="compile"/>.</summary>
    public static OnDemandPlan For(DefinitionSet set, FeatureSelection selection, Func<OnDemandFeatureView, CompiledOnDemandView> compile)
    {
        var order = new List<OnDemandFeatureView>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(OnDemandFeatureView view)
        {
            if (!seen.Add(view.Name))
            {
                return;
            }

            foreach (var source in view.Sources)
            {
                if (set.FindOnDemandFeatureView(source) is { } inner)
                {
                    Visit(inner);
                }
            }

            order.Add(view);
        }

        foreach (var selected in selection.Views)
        {
            if (selected.View is OnDemandFeatureView view)
            {
                Visit(view);
            }
        }

        var steps = new List<(CompiledOnDemandView, IReadOnlyList<OnDemandBinding>)>();
        var features = new Dictionary<string, List<Field>>(StringComparer.Ordinal);
        var aggregationFeatures = new Dictionary<string, List<Field>>(StringComparer.Ordinal);
        var requestFields = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var view in order)
        {
            var compiled = compile(view);
            var bindings = compiled.InputNames.Select(name => Bind(set, view, name)).ToArray();
            foreach (var binding in bindings)
            {
                switch (binding.Kind)
                {
                    case OnDemandInputKind.Feature:
                        var field = set.FindFeatureView(binding.Source)!.FindFeature(binding.Name)!;
                        var list = features.TryGetValue(binding.Source, out var l) ? l : features[binding.Source] = [];
                        if (!list.Contains(field))
                        {
                            list.Add(field);
                        }

                        break;
                    case OnDemandInputKind.AggregationFeature:
                        var aggregated = set.FindAggregationView(binding.Source)!.FindFeature(binding.Name)!.Field;
                        var fields = aggregationFeatures.TryGetValue(binding.Source, out var a) ? a : aggregationFeatures[binding.Source] = [];
                        if (!fields.Contains(aggregated))
                        {
                            fields.Add(aggregated);
                        }

                        break;
                    case OnDemandInputKind.EventTime when binding.Source.Length > 0:
                        // The view must be read for its event time even when none of its features is.
                        features.TryAdd(binding.Source, []);
                        break;
                    case OnDemandInputKind.RequestField:
                        requestFields.TryAdd(binding.Name, set.FindRequestSource(binding.Source)!.Schema.First(f => f.Name == binding.Name));
                        break;
                }
            }

            steps.Add((compiled, bindings));
        }

        return new OnDemandPlan(
            steps,
            features.ToDictionary(f => f.Key, f => (IReadOnlyList<Field>)f.Value),
            aggregationFeatures.ToDictionary(f => f.Key, f => (IReadOnlyList<Field>)f.Value),
            requestFields.Values.ToArray());
    }

    private static OnDemandBinding Bind(DefinitionSet set, OnDemandFeatureView view, string input)
    {
        if (input == ExpressionCompiler.RequestTime)
        {
            return new OnDemandBinding(OnDemandInputKind.RequestTime, string.Empty, input);
        }

        if (input == ExpressionCompiler.EventTime)
        {
            var first = view.Sources.FirstOrDefault(s => set.FindFeatureView(s) is not null) ?? string.Empty;
            return new OnDemandBinding(OnDemandInputKind.EventTime, first, input);
        }

        // Qualified "source.name", or a bare name that exactly one source has (see OnDemandTransformation.InputsOf).
        foreach (var source in view.Sources)
        {
            var name = input.StartsWith(source + ".", StringComparison.Ordinal) ? input[(source.Length + 1)..] : input;
            if (set.FindFeatureView(source) is { } fv && fv.FindFeature(name) is not null)
            {
                return new OnDemandBinding(OnDemandInputKind.Feature, source, name);
            }

            if (set.FindAggregationView(source) is { } av && av.FindFeature(name) is not null)
            {
                return new OnDemandBinding(OnDemandInputKind.AggregationFeature, source, name);
            }

            if (set.FindRequestSource(source) is { } request && request.Schema.Any(f => f.Name == name))
            {
                return new OnDemandBinding(OnDemandInputKind.RequestField, source, name);
            }

            if (set.FindOnDemandFeatureView(source) is { } odfv && odfv.Schema.Any(f => f.Name == name))
            {
                return new OnDemandBinding(OnDemandInputKind.OnDemandOutput, source, name);
            }
        }

        throw new GranaryException($"on_demand_feature_view '{view.Name}': input '{input}' matches none of its sources");
    }
}
