using Granary.Online;
using Granary.Transformations;

namespace Granary;

public sealed partial class FeatureStore
{
    /// <summary>
    /// Reads the latest feature values of entity rows from the online store. Values older than
    /// their view's ttl at read time come back null with <see cref="FeatureStatus.OutsideMaxAge"/>,
    /// exactly as training data leaves them null.
    /// </summary>
    public async Task<OnlineResponse> GetOnlineFeaturesAsync(OnlineFeaturesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var snapshot = TryGetServingSnapshot() ?? await RefreshServingSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var plan = _readPlans.Get(snapshot, request);
        var rowCount = CountRows(request.Entities);
        var names = new List<string>(plan.KeyNames.Count + plan.Outputs.Count);
        var results = new List<OnlineFeatureColumn>(names.Capacity);
        foreach (var key in plan.KeyNames)
        {
            var column = request.Entities.TryGetValue(key, out var c)
                ? c
                : throw new GranaryException($"entity rows have no column '{key}', a join key of the requested features");
            names.Add(key);
            results.Add(OnlineFeatureColumn.Echo(column, rowCount));
        }

        var now = TimeProvider.GetUtcNow();
        var found = new Dictionary<string, IReadOnlyList<OnlineRead?>>(StringComparer.Ordinal);
        foreach (var group in plan.Groups)
        {
            var keys = group.KeysOf(request.Entities, rowCount);
            var rows = await Online.ReadAsync(Project, group.Reads, keys, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < group.Reads.Count; i++)
            {
                found[group.Reads[i].View.Name] = rows[i];
            }
        }

        var computed = plan.OnDemand.IsEmpty ? null : OnDemandRows.Compute(plan.OnDemand, request.Entities, rowCount, plan.Reads, found, now);
        foreach (var output in plan.Outputs)
        {
            names.Add(output.Name);
            results.Add(output.View is { } view
                ? OnlineFeatureColumn.Read(view, found[view.Name], output.FieldIndex, rowCount, now)
                : OnlineFeatureColumn.Computed(computed![output.Computed]));
        }

        var response = new OnlineResponse(names, results);
        if (request.FeatureService is not null)
        {
            LogRead(snapshot, request, response, now);
        }

        return response;
    }

    /// <summary>Hands the read to served-feature logging, which never fails or delays it.</summary>
    private void LogRead(Registry.RegistrySnapshot snapshot, OnlineFeaturesRequest request, OnlineResponse response, DateTimeOffset now)
    {
        try
        {
            _featureLogs.Log(snapshot, request, response, now);
        }
#pragma warning disable CA1031 // A failure to log is logged; the read was answered and stays answered.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Diagnostics.Log.FeatureLogFailed(_logger, request.FeatureService!, e);
        }
    }

    private static int CountRows(IReadOnlyDictionary<string, IReadOnlyList<object?>> entities)
    {
        if (entities.Count == 0)
        {
            throw new GranaryException("no entity rows given: pass the join keys, e.g. driver_id=1001");
        }

        var lengths = entities.Select(e => (e.Key, e.Value.Count)).ToList();
        if (lengths.Select(l => l.Count).Distinct().Count() > 1)
        {
            throw new GranaryException($"entity columns have different lengths: {string.Join(", ", lengths.Select(l => $"{l.Key}: {l.Count}"))}");
        }

        return lengths[0].Count;
    }
}
