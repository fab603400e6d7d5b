namespace Granary.Definitions;

/// <summary>
/// Features computed from other views and request fields by expressions, with one engine for
/// training and serving.
/// </summary>
public sealed record OnDemandFeatureView : Definition
{
    /// <summary>The YAML kind.</summary>
    public const string KindName = "on_demand_feature_view";

    /// <summary>Names of feature views, request sources and other on-demand views used by the expressions.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>The outputs, each with its <see cref="Field.Expression"/>.</summary>
    public required IReadOnlyList<Field> Schema { get; init; }

    /// <summary>Named lookup tables for <c>lookup(name, key)</c>; values are kept as written.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Constants { get; init => field = value ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(); } = new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Whether outputs are computed when writing online instead of when reading.</summary>
    public bool WriteToOnlineStore { get; init; }

    /// <inheritdoc/>
    public override string Kind => KindName;
}
