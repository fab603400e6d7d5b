using Granary;
using Granary.Online;

namespace DriverScoring;

/// <summary>
/// <c>POST /predict</c>: reads the driver's features online, in process, through the host's
/// <see cref="FeatureStore"/> (registered by <c>AddGranary</c>), scores them and answers the probability with
/// the features it used.
/// </summary>
internal static class PredictEndpoint
{
    /// <summary>The request: the driver and what the order says.</summary>
    /// <param name="DriverId">The driver offered the order.</param>
    /// <param name="TripDistanceKm">The trip's distance, known only when the order comes in.</param>
    public sealed record Request(long DriverId, double TripDistanceKm);

    /// <summary>The answer.</summary>
    /// <param name="DriverId">The driver.</param>
    /// <param name="Probability">How likely the driver completes the order.</param>
    /// <param name="Features">Every value the model read, by name; null when Granary had none (past its ttl or never seen).</param>
    public sealed record Response(long DriverId, float Probability, IReadOnlyDictionary<string, object?> Features);

    public static async Task<Response> HandleAsync(Request request, FeatureStore store, ScoringModel model, CancellationToken cancellationToken)
    {
        var online = await store.GetOnlineFeaturesAsync(
            new OnlineFeaturesRequest
            {
                FeatureService = Trainer.FeatureService,
                Entities = new Dictionary<string, IReadOnlyList<object?>>
                {
                    ["driver_id"] = [request.DriverId],
                    ["trip_distance_km"] = [request.TripDistanceKm],
                },
            },
            cancellationToken);

        // The request's own value beside the features read; the same names training data has as columns.
        var features = ModelInput.FeatureNames.ToDictionary(
            name => name,
            name => name == "trip_distance_km" ? request.TripDistanceKm : online[name].Values[0]);
        var output = model.Score(ModelInput.From(name => features[name]));
        return new Response(request.DriverId, output.Probability, features);
    }
}
