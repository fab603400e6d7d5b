using System.Text.Json.Serialization;

namespace Granary.Definitions;

/// <summary>
/// Time-windowed aggregations of a source's events per entity (<c>amount_sum_7d</c>, <c>count_1h</c>),
/// with the same value in training data and online at every instant. For an entity row or a read at
/// time t, a window w covers the entity's events with start(t) &lt;= event time &lt; t: start(t) is
/// t - w for an exact window (hop 0), or t - w rounded down to a multiple of the hop from the Unix
/// epoch for a tiled one. See docs/aggregations.md.
/// </summary>
public sealed record AggregationView : Definition
{
    /// <summary>The YAML kind.</summary>
    public const string KindName = "aggregation_view";

    /// <summary>The automatic hop of windows under 12 hours.</summary>
    public static readonly TimeSpan ShortHop = TimeSpan.FromMinutes(5);

    /// <summary>The automatic hop of windows from 12 hours to under 12 days.</summary>
    public static readonly TimeSpan MediumHop = TimeSpan.FromHours(1);

    /// <summary>The automatic hop of windows of 12 days and more.</summary>
    public static readonly TimeSpan LongHop = TimeSpan.FromDays(1);

    /// <summary>Entity names; several give a composite key.</summary>
    public required IReadOnlyList<string> Entities { get; init; }

    /// <summary>The source of the events: any source with a timestamp field, or a push source.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// The hop of every window: <see cref="TimeSpan.Zero"/> for exact sliding windows; null (the
    /// default) chooses per window (<see cref="AutomaticHop"/>).
    /// </summary>
    public TimeSpan? Hop { get; init; }

    /// <summary>The default of <see cref="AllowedLateness"/>: one hour.</summary>
    public static readonly TimeSpan DefaultAllowedLateness = TimeSpan.FromHours(1);

    /// <summary>
    /// How late an event may reach the offline source and still be counted online by the next
    /// <c>materialize-incremental</c>, which re-reads this much before where the last run ended
    /// (<c>allowed_lateness</c>); null (the default) is <see cref="DefaultAllowedLateness"/>. Later
    /// events are counted by a <c>materialize</c> whose range holds them. See docs/aggregations.md.
    /// </summary>
    public TimeSpan? AllowedLateness { get; init; }

    /// <summary>Whether the view is materialized to and served from the online store; default true.</summary>
    public bool Online { get; init; } = true;

    /// <summary>The aggregations, in order; each window of each gives one feature.</summary>
    public required IReadOnlyList<Aggregation> Aggregations { get; init; }

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <summary>
    /// The features, in order: per aggregation, one per window. Their types need the source's column
    /// types, which apply fills in (<see cref="Aggregation.ColumnType"/>).
    /// </summary>
    /// <exception cref="GranaryException">A column's type is not known yet: the view was not validated against its source.</exception>
    [JsonIgnore]
    public IReadOnlyList<AggregationFeature> Features => ResolveFeatures();

    /// <summary>The features as fields, as a feature view's schema.</summary>
    [JsonIgnore]
    public IReadOnlyList<Field> Schema => Features.Select(f => f.Field).ToArray();

    /// <summary>The feature named <paramref name="name"/>, or null.</summary>
    public AggregationFeature? FindFeature(string name) => Features.FirstOrDefault(f => f.Field.Name == name);

    /// <summary>The hop chosen for a window when none is given: 5 minutes under 12 hours, 1 hour under 12 days, 1 day beyond.</summary>
    public static TimeSpan AutomaticHop(TimeSpan window) =>
        window < TimeSpan.FromHours(12) ? ShortHop : window < TimeSpan.FromDays(12) ? MediumHop : LongHop;

    /// <summary>The hop of <paramref name="window"/> in this view.</summary>
    public TimeSpan HopOf(TimeSpan window) => Hop ?? AutomaticHop(window);

    /// <summary>
    /// Where a window of length <paramref name="window"/> and hop <paramref name="hop"/> starts for a
    /// read or entity row at <paramref name="time"/>, at microsecond precision (event times are
    /// microseconds): time - window, rounded down to a multiple of the hop from the Unix epoch when
    /// the hop is not zero.
    /// </summary>
    public static DateTimeOffset WindowStart(DateTimeOffset time, TimeSpan window, TimeSpan hop)
    {
        var start = ToMicroseconds(time) - ToMicroseconds(window);
        if (hop > TimeSpan.Zero)
        {
            start = FloorMultiple(start, ToMicroseconds(hop));
        }

        return DateTimeOffset.UnixEpoch.AddTicks(start * TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>Microseconds since the Unix epoch, rounded toward the past.</summary>
    public static long ToMicroseconds(DateTimeOffset time) => FloorDivide(time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, TimeSpan.TicksPerMicrosecond);

    /// <summary>The greatest multiple of <paramref name="step"/> (positive) not above <paramref name="value"/>.</summary>
    public static long FloorMultiple(long value, long step) => FloorDivide(value, step) * step;

    private static long FloorDivide(long value, long divisor)
    {
        var quotient = Math.DivRem(value, divisor, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    /// <summary>Microseconds of a span, truncated toward zero.</summary>
    public static long ToMicroseconds(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>The generated name of a feature: <c>{column}_{function}_{window}</c>, <c>count_{window}</c>, <c>{column}_last_{k}_{window}</c>.</summary>
    public static string FeatureName(Aggregation aggregation, string window)
    {
        ArgumentNullException.ThrowIfNull(aggregation);
        if (aggregation.Name is { } name)
        {
            return name;
        }

        return aggregation.Function switch
        {
            AggregationFunction.Count when aggregation.Column is null => $"count_{window}",
            AggregationFunction.LastK => $"{aggregation.Column}_last_{aggregation.K}_{window}",
            var function => $"{aggregation.Column}_{FunctionName(function)}_{window}",
        };
    }

    /// <summary>The YAML name of a function: <c>count</c>, <c>sum</c>, ..., <c>last_k</c>, <c>count_distinct</c>.</summary>
    public static string FunctionName(AggregationFunction function) => function switch
    {
        AggregationFunction.LastK => "last_k",
        AggregationFunction.CountDistinct => "count_distinct",
        _ => function.ToString().ToLowerInvariant(),
    };

    /// <summary>The type of the function's result for a column of type <paramref name="column"/> (null for a count of events).</summary>
    public static DataType ResultType(AggregationFunction function, DataType? column) => function switch
    {
        AggregationFunction.Count or AggregationFunction.CountDistinct => DataType.Int64,
        AggregationFunction.Avg or AggregationFunction.Stddev => DataType.Float64,
        AggregationFunction.Sum => column is { IsInteger: true } ? DataType.Int64 : DataType.Float64,
        AggregationFunction.LastK => column is { } c ? c with { IsList = true } : throw new ArgumentNullException(nameof(column)),
        _ => column ?? throw new ArgumentNullException(nameof(column)),
    };

    private AggregationFeature[] ResolveFeatures()
    {
        var features = new List<AggregationFeature>();
        foreach (var aggregation in Aggregations)
        {
            if (aggregation.Column is not null && aggregation.ColumnType is null && aggregation.Function is not (AggregationFunction.Count or AggregationFunction.CountDistinct))
            {
                throw new GranaryException($"aggregation view '{Name}': the type of column '{aggregation.Column}' is not known; apply the view so that its source is read");
            }

            foreach (var text in aggregation.Windows)
            {
                var window = Duration.TryParse(text, out var span) ? span : throw new GranaryException($"aggregation view '{Name}': window '{text}' is not a duration");
                var field = new Field { Name = FeatureName(aggregation, text), Dtype = ResultType(aggregation.Function, aggregation.ColumnType) };
                features.Add(new AggregationFeature(field, aggregation, text, window, HopOf(window)));
            }
        }

        return [.. features];
    }
}
