using Granary.Diagnostics;
using Granary.Online;
using Granary.Transformations;

namespace Granary;

public sealed partial class FeatureStore
{
    /// <summary>
    /// Reads the latest feature values of entity rows from the online store. Values older than
    /// their view's ttl at read time come back null with <see cref="FeatureStatus.OutsideMaxAge"/>,
    /// exactly as training data leaves them null. Aggregation features are evaluated from each
    /// entity's state at the clock's time (truncated to the microsecond), as training data evaluates
    /// them at an entity row's time.
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

            // Echoed as the entity's type says, not as the caller wrote them: the CLI's driver_id=1001 and REST's 1001 both answer 1001.
            var type = KeyType(plan, key);
            results.Add(OnlineFeatureColumn.Echo(type is null ? column : column.Select(v => (object?)EntityValues.Convert(v, type.Value, key)).ToArray(), rowCount));
        }

        var now = TimeProvider.GetUtcNow();
        var found = new Dictionary<string, IReadOnlyList<OnlineRead?>>(StringComparer.Ordinal);
        var eventTimes = new Dictionary<string, DateTimeOffset?[]>(StringComparer.Ordinal);
        foreach (var group in plan.Groups)
        {
            var keys = group.KeysOf(request.Entities, rowCount);
            var rows = await Tracing.ReadOnlineAsync(Online, Project, group.Reads, keys, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < group.Reads.Count; i++)
            {
                found[group.Reads[i].View.Name] = rows[i];
                eventTimes[group.Reads[i].View.Name] = OnlineFeatureColumn.EventTimesOf(rows[i], rowCount);
            }
        }

        // Aggregation features are evaluated at the read's time: the value moves as time passes.
        var aggregated = new Dictionary<string, (object?[][] Values, bool[] Found)>(StringComparer.Ordinal);
        foreach (var read in plan.Aggregations)
        {
            var states = await Online.ReadAggregationStatesAsync(Project, read.View.Name, read.KeysOf(request.Entities, rowCount), cancellationToken).ConfigureAwait(false);
            aggregated[read.View.Name] = read.Evaluate(states, now);
        }

        var computed = plan.OnDemand.IsEmpty ? null : OnDemandRows.Compute(plan.OnDemand, request.Entities, rowCount, plan.Reads, found, now);
        foreach (var output in plan.Outputs)
        {
            names.Add(output.Name);
            results.Add(output switch
            {
                { View: { } view } => OnlineFeatureColumn.Read(view, found[view.Name], eventTimes[view.Name], output.FieldIndex, rowCount, now),
                { Aggregation: { } read } => OnlineFeatureColumn.Aggregated(aggregated[read.View.Name].Values[output.FieldIndex], aggregated[read.View.Name].Found),
                _ => OnlineFeatureColumn.Computed(computed![output.Computed]),
            });
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

    /// <summary>
    /// Checks <paramref name="request"/> as <see cref="GetOnlineFeaturesAsync"/> does before it reads the online store:
    /// the features or service exist, the entity columns have one length, the join keys are there and convert. Lets a
    /// host that cannot reach the store still tell a caller's mistake from an outage; does nothing before the first read
    /// loaded the registry.
    /// </summary>
    /// <exception cref="GranaryException">The request is malformed or names what the registry lacks.</exception>
    public void CheckOnlineRequest(OnlineFeaturesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (TryGetServingSnapshot() is not { } snapshot)
        {
            return;
        }

        var plan = _readPlans.Get(snapshot, request);
        var rowCount = CountRows(request.Entities);
        foreach (var group in plan.Groups)
        {
            group.KeysOf(request.Entities, rowCount);
        }
    }

    private static Definitions.DataType? KeyType(OnlineReadPlan plan, string key)
    {
        foreach (var group in plan.Groups)
        {
            for (var k = 0; k < group.KeyNames.Count; k++)
            {
                if (group.KeyNames[k] == key)
                {
                    return group.KeyTypes[k];
                }
            }
        }

        return null;
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
