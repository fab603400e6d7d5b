using Granary.Registry;
using Granary.Transformations;

namespace Granary.Online;

/// <summary>
/// Hands out the <see cref="OnlineReadPlan"/> of a request, planned once per apply and request
/// shape (the features or feature service asked for and whether names are full).
/// </summary>
/// <param name="onDemand">Plans the on-demand views computed at read time.</param>
internal sealed class OnlineReadPlanner(OnDemandPlanner onDemand)
{
    /// <summary>Distinct request shapes kept per apply; more are planned on every read rather than grow without bound.</summary>
    public const int Capacity = 1024;

    private readonly PerApplyCache<OnlineReadShape, OnlineReadPlan> _plans = new(EqualityComparer<OnlineReadShape>.Default);

    /// <summary>The plan of <paramref name="request"/> under <paramref name="snapshot"/>'s definitions.</summary>
    /// <exception cref="GranaryException">A feature is unknown, or a view read is not online.</exception>
    public OnlineReadPlan Get(RegistrySnapshot snapshot, OnlineFeaturesRequest request)
    {
        var plans = _plans.Of(snapshot);
        if (plans.TryGetValue(new OnlineReadShape(request), out var plan))
        {
            return plan;
        }

        plan = OnlineReadPlan.Build(snapshot, request, onDemand);
        if (plans.Count < Capacity)
        {
            // Kept with a copy of the feature list: the caller may reuse its list for another request.
            plans[new OnlineReadShape(request).Copy()] = plan;
        }

        return plan;
    }
}
