using Granary.Definitions;
using Granary.Registry;

namespace Granary.Transformations;

/// <summary>
/// Plans the on-demand work of a selection (<see cref="OnDemandPlan"/>) with each view compiled once
/// per apply, for training, serving and the stored views' recomputation alike.
/// </summary>
/// <param name="catalog">C# functions for features declared without an expression; may be null.</param>
internal sealed class OnDemandPlanner(TransformationCatalog? catalog)
{
    private readonly PerApplyCache<string, CompiledOnDemandView> _compiled = new(StringComparer.Ordinal);

    /// <summary>The on-demand work of <paramref name="selection"/> under <paramref name="snapshot"/>'s definitions.</summary>
    /// <exception cref="TransformationException">A view does not compile.</exception>
    public OnDemandPlan Plan(RegistrySnapshot snapshot, FeatureSelection selection)
    {
        var compiled = _compiled.Of(snapshot);
        var set = snapshot.Definitions;
        return OnDemandPlan.For(set, selection, view =>
            compiled.GetOrAdd(view.Name, static (_, state) => CompiledOnDemandView.Compile(state.View, state.Set, state.Catalog), (View: view, Set: set, Catalog: catalog)));
    }
}
