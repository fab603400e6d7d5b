using Granary.Definitions;
using Granary.Registry;
using Granary.Transformations;

namespace Granary.Online;

/// <summary>
/// Every online write of a project (materialization, push, direct write) goes through here: the
/// rows of a feature view, then the stored on-demand views that read it, recomputed for the keys written.
/// </summary>
/// <param name="store">The online store, built on first use.</param>
/// <param name="project">The project written.</param>
/// <param name="onDemand">Plans the stored on-demand views' recomputation.</param>
internal sealed class OnlineWriter(Lazy<OnlineStore> store, string project, OnDemandPlanner onDemand)
{
    /// <summary>Writes <paramref name="rows"/> of <paramref name="view"/> and recomputes what reads them.</summary>
    public async Task WriteAsync(RegistrySnapshot snapshot, FeatureView view, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken)
    {
        await store.Value.WriteBatchAsync(project, view, rows, cancellationToken).ConfigureAwait(false);
        await StoredOnDemandView.RecomputeAsync(store.Value, project, snapshot, view, rows, onDemand, cancellationToken).ConfigureAwait(false);
    }
}
