namespace Granary.Online;

/// <summary>
/// The result of an online read, column-oriented like Feast's <c>/get-online-features</c> response:
/// the join keys first (echoed), then the features in request order.
/// </summary>
/// <param name="FeatureNames">Output names: join keys, then features.</param>
/// <param name="Results">One column per name, aligned with <paramref name="FeatureNames"/>.</param>
public sealed record OnlineResponse(IReadOnlyList<string> FeatureNames, IReadOnlyList<OnlineFeatureColumn> Results)
{
    /// <summary>The column named <paramref name="name"/>.</summary>
    public OnlineFeatureColumn this[string name]
    {
        get
        {
            for (var i = 0; i < FeatureNames.Count; i++)
            {
                if (FeatureNames[i] == name)
                {
                    return Results[i];
                }
            }

            throw new KeyNotFoundException($"no column '{name}' in the response");
        }
    }
}
