using System.Collections.Concurrent;
using Granary.Definitions;
using Granary.Registry;
using Granary.Transformations;

namespace Granary;

public sealed partial class FeatureStore
{
    private CompiledViews _compiled = new(-1);

    /// <summary>
    /// C# functions for on-demand features declared without an expression. They run through the
    /// same engine as expressions, for training and for serving alike. Set before the first read.
    /// </summary>
    public TransformationCatalog? Transformations { get; set; }

    /// <summary>The on-demand work of a selection, with each view compiled once per registry version.</summary>
    private OnDemandPlan PlanOnDemand(RegistrySnapshot snapshot, FeatureSelection selection)
    {
        var compiled = Volatile.Read(ref _compiled);
        if (compiled.Version != snapshot.Version)
        {
            compiled = new CompiledViews(snapshot.Version);
            Volatile.Write(ref _compiled, compiled);
        }

        var set = snapshot.Definitions;
        return OnDemandPlan.For(set, selection, view =>
            compiled.Views.GetOrAdd(view.Name, _ => CompiledOnDemandView.Compile(view, set, Transformations)));
    }

    /// <summary>The name of the hidden training-data column that carries a feature an on-demand view reads.</summary>
    private static string HiddenFeatureColumn(string view, string feature) => $"__granary_in__{view}__{feature}";

    /// <summary>The name of the hidden training-data column with the event time of a feature view's chosen row.</summary>
    private static string HiddenEventTimeColumn(string view) => $"__granary_ts__{view}";

    /// <summary>The views compiled for one registry version; replaced whole when the version changes.</summary>
    private sealed class CompiledViews(long version)
    {
        public long Version { get; } = version;

        public ConcurrentDictionary<string, CompiledOnDemandView> Views { get; } = new(StringComparer.Ordinal);
    }
}
