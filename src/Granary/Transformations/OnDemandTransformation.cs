using Granary.Definitions;

namespace Granary.Transformations;

/// <summary>
/// What an on-demand view can read, and a check of its expressions against a definition set, for
/// <c>granary apply</c> and the repo validator.
/// </summary>
public static class OnDemandTransformation
{
    /// <summary>The input name of the request's time: the entity row's time offline, the read time online.</summary>
    public const string RequestTime = ExpressionCompiler.RequestTime;

    /// <summary>The input name of the event time of the row of the view's first feature view source.</summary>
    public const string EventTime = ExpressionCompiler.EventTime;

    /// <summary>
    /// The typed inputs of <paramref name="view"/>: the features of its source feature views and
    /// aggregation views, the fields of its request sources and the outputs of its source on-demand views. Each is listed
    /// as <c>source.name</c>, and also as the bare <c>name</c> when only one source has it.
    /// Sources that are not declared are skipped. <c>request_time</c> and <c>event_time</c> are
    /// always available and not listed.
    /// </summary>
    /// <exception cref="GranaryException">A source aggregation view's column types are not known yet (see <see cref="IsReady"/>).</exception>
    public static IReadOnlyDictionary<string, DataType> InputsOf(OnDemandFeatureView view, DefinitionSet set)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(set);
        var qualified = new Dictionary<string, DataType>(StringComparer.Ordinal);
        var bare = new Dictionary<string, (DataType Type, int Count)>(StringComparer.Ordinal);
        foreach (var source in view.Sources)
        {
            var fields = set.FindFeatureView(source)?.Schema
                ?? set.FindAggregationView(source)?.Schema
                ?? set.FindRequestSource(source)?.Schema
                ?? set.FindOnDemandFeatureView(source)?.Schema
                ?? [];
            foreach (var field in fields)
            {
                qualified[$"{source}.{field.Name}"] = field.Dtype;
                bare[field.Name] = bare.TryGetValue(field.Name, out var seen) ? (seen.Type, seen.Count + 1) : (field.Dtype, 1);
            }
        }

        foreach (var (name, (type, count)) in bare)
        {
            if (count == 1)
            {
                qualified.TryAdd(name, type);
            }
        }

        return qualified;
    }

    /// <summary>
    /// Type-checks every expression of <paramref name="view"/> against its inputs in
    /// <paramref name="set"/>. Returns one line per problem, as
    /// <c>{file}:{line}:{column}: on_demand_feature_view 'name': feature 'x': ... at expression column N</c>
    /// (without the location when the set has none). Views with an undeclared source are not
    /// checked here: the validator reports the source; nor are views reading an aggregation view
    /// whose column types are not known yet (<see cref="IsReady"/>): apply checks them once it has
    /// read the source. Features without an expression (computed by a C# function) are skipped.
    /// </summary>
    public static IReadOnlyList<string> Validate(OnDemandFeatureView view, DefinitionSet set)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(set);
        var errors = new List<string>();
        if (!IsReady(view, set))
        {
            return errors;
        }

        var where = set.LocationOf(view) is { } location ? $"{location}: " : string.Empty;
        var inputs = InputsOf(view, set);
        foreach (var field in view.Schema)
        {
            if (field.Expression is null)
            {
                continue;
            }

            try
            {
                ExpressionCompiler.Build(field.Expression, field.Dtype, 0, inputs, view.Constants, new RowLayout());
            }
            catch (TransformationException e)
            {
                var at = e.Column is { } column ? $" at expression column {column}" : string.Empty;
                errors.Add($"{where}{view.Kind} '{view.Name}': feature '{field.Name}': {e.Detail}{at}");
            }
        }

        return errors;
    }

    /// <summary>
    /// Whether every source of <paramref name="view"/> is declared and the types of its inputs are
    /// known: an aggregation view's feature types depend on its source's column types, which apply
    /// reads from the data (see <see cref="Aggregation.ColumnType"/>).
    /// </summary>
    public static bool IsReady(OnDemandFeatureView view, DefinitionSet set)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(set);
        return view.Sources.All(s =>
            set.FindFeatureView(s) is not null || set.FindRequestSource(s) is not null || set.FindOnDemandFeatureView(s) is not null
            || (set.FindAggregationView(s) is { } aggregation && aggregation.Aggregations.All(a =>
                a.Column is null || a.ColumnType is not null || a.Function is AggregationFunction.Count or AggregationFunction.CountDistinct)));
    }
}
