using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Granary.Definitions;
using Granary.Online;
using Granary.Registry;
using Granary.Transformations;

namespace Granary;

public sealed partial class FeatureStore
{
    private CompiledViews _compiled = new(null);

    /// <summary>
    /// C# functions for on-demand features declared without an expression. They run through the
    /// same engine as expressions, for training and for serving alike. Set before the first read.
    /// </summary>
    public TransformationCatalog? Transformations { get; set; }

    /// <summary>The on-demand work of a selection, with each view compiled once per registry version.</summary>
    private OnDemandPlan PlanOnDemand(RegistrySnapshot snapshot, FeatureSelection selection)
    {
        var compiled = Volatile.Read(ref _compiled);
        if (compiled.Snapshot is null || !IsSameApply(compiled.Snapshot, snapshot))
        {
            compiled = new CompiledViews(snapshot);
            Volatile.Write(ref _compiled, compiled);
        }

        var set = snapshot.Definitions;
        return OnDemandPlan.For(set, selection, view =>
            compiled.Views.GetOrAdd(view.Name, _ => CompiledOnDemandView.Compile(view, set, Transformations)));
    }

    /// <summary>
    /// The online storage of an on-demand view with <c>write_to_online_store: true</c>: a view
    /// named <c>odfv__{name}__{hash}</c>, where the hash covers the expressions and constants (so
    /// that a changed computation gets fresh storage rather than serving old results), keyed like
    /// its first source; each row carries the newest event time of the source rows it was computed
    /// from, so that the first source's ttl applies at read time.
    /// </summary>
    public static FeatureView OnlineViewOf(DefinitionSet? set, OnDemandFeatureView view)
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
    /// Writes rows of a feature view online, then recomputes the on-demand views stored online
    /// that read it: every online write (materialization, push, direct write) goes through here.
    /// </summary>
    private async Task WriteOnlineAsync(RegistrySnapshot snapshot, FeatureView view, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken)
    {
        await Online.WriteBatchAsync(Project, view, rows, cancellationToken).ConfigureAwait(false);
        await RefreshStoredOnDemandAsync(snapshot, view, rows, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After <paramref name="rows"/> of <paramref name="written"/> were written online, recomputes for their keys the
    /// on-demand views stored online that read it, from the source rows now stored.
    /// </summary>
    private async Task RefreshStoredOnDemandAsync(
        RegistrySnapshot snapshot, FeatureView written, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken)
    {
        var set = snapshot.Definitions;
        EntityKey[]? keys = null;
        foreach (var view in set.OnDemandFeatureViews.Where(v => v.WriteToOnlineStore && v.Sources.Contains(written.Name)))
        {
            keys ??= rows.Select(r => r.Key).ToArray();
            var selection = new FeatureSelection(
                [new SelectedView(view, view.Schema.Select(f => new SelectedFeature(f, f.Name)).ToArray())], FullFeatureNames: false);
            var plan = PlanOnDemand(snapshot, selection);
            var reads = plan.Features.ToDictionary(
                f => f.Key, f => (View: set.FindFeatureView(f.Key)!, Fields: f.Value.ToList()), StringComparer.Ordinal);
            var readViews = reads.Values.ToArray();
            var stored = await Online.ReadAsync(
                Project, readViews.Select(r => new OnlineViewRead(r.View, r.Fields)).ToArray(), keys, cancellationToken).ConfigureAwait(false);
            var found = new Dictionary<string, IReadOnlyList<OnlineRead?>>(StringComparer.Ordinal);
            for (var i = 0; i < readViews.Length; i++)
            {
                found[readViews[i].View.Name] = stored[i];
            }

            // Written rows are computed as of their own event time: no read-time ttl applies.
            var computed = ComputeOnDemand(plan, new Dictionary<string, IReadOnlyList<object?>>(), keys.Length, reads, found, now: null);
            var target = OnlineViewOf(set, view);
            var output = new List<OnlineRow>(keys.Length);
            for (var r = 0; r < keys.Length; r++)
            {
                var newest = found.Values.Select(f => f[r]?.EventTimestamp).Max();
                if (newest is { } time)
                {
                    output.Add(new OnlineRow(keys[r], time, view.Schema.Select(f => computed[(view.Name, f.Name)][r]).ToArray()));
                }
            }

            await Online.WriteBatchAsync(Project, target, output, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The name of the hidden training-data column that carries a feature an on-demand view reads.</summary>
    private static string HiddenFeatureColumn(string view, string feature) => $"__granary_in__{view}__{feature}";

    /// <summary>The name of the hidden training-data column with the event time of a feature view's chosen row.</summary>
    private static string HiddenEventTimeColumn(string view) => $"__granary_ts__{view}";

    /// <summary>The views compiled for one apply; replaced whole when another is served.</summary>
    private sealed class CompiledViews(RegistrySnapshot? snapshot)
    {
        public RegistrySnapshot? Snapshot { get; } = snapshot;

        public ConcurrentDictionary<string, CompiledOnDemandView> Views { get; } = new(StringComparer.Ordinal);
    }
}
