using System.Security.Cryptography;
using System.Text;
using Granary.Definitions;
using Granary.Registry;
using Granary.Transformations;

namespace Granary.Online;

/// <summary>
/// An on-demand view with <c>write_to_online_store: true</c>: its outputs are computed when rows of
/// its sources are written online and stored like a feature view's, instead of computed at read time.
/// </summary>
public static class StoredOnDemandView
{
    /// <summary>
    /// The feature view whose online storage holds <paramref name="view"/>'s outputs: named
    /// <c>odfv__{name}__{hash}</c>, where the hash covers the expressions and constants (so that a
    /// changed computation gets fresh storage rather than serving old results), keyed like its
    /// first source; each row carries the newest event time of the source rows it was computed
    /// from, so that the first source's ttl applies at read time.
    /// </summary>
    /// <param name="set">The definitions <paramref name="view"/>'s sources are looked up in.</param>
    /// <param name="view">The on-demand view.</param>
    public static FeatureView StorageOf(DefinitionSet? set, OnDemandFeatureView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var first = set?.FindFeatureView(view.Sources.FirstOrDefault() ?? string.Empty);
        var computation = RegistryJson.Serialize(new { view.Schema, view.Constants });
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(computation)), 0, 4).ToLowerInvariant();
        return new FeatureView
        {
            Name = $"odfv__{view.Name}__{hash}",
            Entities = first?.Entities ?? [],
            Source = first?.Source ?? string.Empty,
            Ttl = first?.Ttl ?? TimeSpan.Zero,
            Online = true,
            Schema = view.Schema.Select(f => f with { Expression = null }).ToArray(),
        };
    }

    /// <summary>
    /// After <paramref name="rows"/> of <paramref name="written"/> were written online, recomputes for
    /// their keys the stored on-demand views that read it, from the source rows now stored, and
    /// writes the results to their storage.
    /// </summary>
    internal static async Task RecomputeAsync(
        OnlineStore store, string project, RegistrySnapshot snapshot, FeatureView written, IReadOnlyList<OnlineRow> rows,
        OnDemandPlanner onDemand, CancellationToken cancellationToken)
    {
        var set = snapshot.Definitions;
        EntityKey[]? keys = null;
        foreach (var view in set.OnDemandFeatureViews.Where(v => v.WriteToOnlineStore && v.Sources.Contains(written.Name)))
        {
            keys ??= rows.Select(r => r.Key).ToArray();
            var selection = new FeatureSelection(
                [new SelectedView(view, view.Schema.Select(f => new SelectedFeature(f, f.Name)).ToArray())], FullFeatureNames: false);
            var plan = onDemand.Plan(snapshot, selection);
            var reads = plan.Features.ToDictionary(
                f => f.Key, f => new OnlineViewRead(set.FindFeatureView(f.Key)!, f.Value), StringComparer.Ordinal);
            var readViews = reads.Values.ToArray();
            var stored = await store.ReadAsync(project, readViews, keys, cancellationToken).ConfigureAwait(false);
            var found = new Dictionary<string, IReadOnlyList<OnlineRead?>>(StringComparer.Ordinal);
            for (var i = 0; i < readViews.Length; i++)
            {
                found[readViews[i].View.Name] = stored[i];
            }

            // Written rows are computed as of their own event time: no read-time ttl applies.
            var computed = OnDemandRows.Compute(plan, new Dictionary<string, IReadOnlyList<object?>>(), keys.Length, reads, found, now: null);
            var output = new List<OnlineRow>(keys.Length);
            for (var r = 0; r < keys.Length; r++)
            {
                var newest = found.Values.Select(f => f[r]?.EventTimestamp).Max();
                if (newest is { } time)
                {
                    output.Add(new OnlineRow(keys[r], time, view.Schema.Select(f => computed[(view.Name, f.Name)][r]).ToArray()));
                }
            }

            await store.WriteBatchAsync(project, StorageOf(set, view), output, cancellationToken).ConfigureAwait(false);
        }
    }
}
