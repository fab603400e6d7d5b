using Microsoft.ML.Data;

namespace DriverScoring;

/// <summary>
/// What the model reads, built by one function from named feature values: training builds it from a row of
/// Granary's training data, serving from Granary's online read, so the two cannot drift apart.
/// </summary>
internal sealed class ModelInput
{
    /// <summary>The features in the order of the model's vector: the feature service's, with the request's distance among them.</summary>
    public static readonly string[] FeatureNames =
        ["conv_rate", "acc_rate", "avg_daily_trips", "trip_distance_km", "km_per_daily_trip", "acceptance_score", "count_7d", "completed_sum_7d"];

    /// <summary>The feature vector; a missing value (a feature past its ttl, a driver never seen) is NaN, which FastTree treats as missing.</summary>
    [VectorType(8)]
    public float[] Features { get; set; } = [];

    /// <summary>Whether the driver completed the order (training only).</summary>
    public bool Label { get; set; }

    /// <summary>The model's input from named values, as Granary returns them (<see cref="double"/>, <see cref="long"/> or null).</summary>
    public static ModelInput From(Func<string, object?> value, bool label = false) => new()
    {
        Features = FeatureNames.Select(name => ToFloat(value(name), name)).ToArray(),
        Label = label,
    };

    private static float ToFloat(object? value, string name) => value switch
    {
        null => float.NaN,
        double d => (float)d,
        float f => f,
        long l => l,
        int i => i,
        _ => throw new InvalidOperationException($"feature '{name}' is a {value.GetType().Name}; the model reads numbers"),
    };
}
