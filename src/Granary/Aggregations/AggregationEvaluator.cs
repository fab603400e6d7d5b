using Granary.Definitions;

namespace Granary.Aggregations;

/// <summary>
/// Evaluates the features of an aggregation view from an entity's state at a read time t: the
/// window [start(t), t) is the tiles of the feature's hop that lie inside it, then the head tiles
/// up to the head tile of t, then the raw events of that last head tile before t.
/// </summary>
internal static class AggregationEvaluator
{
    /// <summary>
    /// The value of each feature in <paramref name="features"/> (indexes into
    /// <see cref="AggregationLayout.Features"/>) at <paramref name="time"/> (microseconds), written
    /// to <paramref name="values"/>; a missing state is an entity without events.
    /// </summary>
    public static void Evaluate(AggregationLayout layout, AggregationState? state, long time, IReadOnlyList<int> features, Span<object?> values)
    {
        for (var i = 0; i < features.Count; i++)
        {
            values[i] = Evaluate(layout, state, layout.Features[features[i]], time);
        }
    }

    /// <summary>The value of one feature at <paramref name="time"/> (microseconds).</summary>
    public static object? Evaluate(AggregationLayout layout, AggregationState? state, FeaturePlan feature, long time)
    {
        var summary = new ColumnSummary();
        long events = 0;
        var kind = feature.Column < 0 ? ValueKind.NullOnly : layout.Columns[feature.Column].Kind;
        if (state is not null)
        {
            events = layout.IsExact
                ? AddRaw(state, feature, kind, time - feature.Window, time, summary)
                : AddTiled(state, feature, kind, time, summary);
        }

        return Finish(feature, kind, summary, events);
    }

    private static long AddTiled(AggregationState state, FeaturePlan feature, ValueKind kind, long time, ColumnSummary summary)
    {
        var start = Micros.Floor(time - feature.Window, feature.Hop);
        var hopTile = Micros.Floor(time, feature.Hop);
        var headSize = state.Layout.Levels[0].Size;
        var headTile = Micros.Floor(time, headSize);
        var events = AddTiles(state.Tiles[feature.Level], start, hopTile, feature.Slot, feature, kind, summary);
        if (feature.Level != 0)
        {
            events += AddTiles(state.Tiles[0], hopTile, headTile, feature.HeadSlot, feature, kind, summary);
        }

        if (headTile >= state.RawFrom)
        {
            events += AddRaw(state, feature, kind, headTile, time, summary);
        }
        else
        {
            // The raw events of this tile were pruned: the read is earlier than the state answers
            // exactly (see docs/aggregations.md); the whole tile is the best left.
            events += AddTiles(state.Tiles[0], headTile, headTile + 1, feature.HeadSlot, feature, kind, summary);
        }

        return events;
    }

    private static long AddTiles(List<AggregationTile> tiles, long from, long to, int slot, FeaturePlan feature, ValueKind kind, ColumnSummary summary)
    {
        long events = 0;
        for (var i = AggregationState.LowerBound(tiles, from); i < tiles.Count && tiles[i].Start < to; i++)
        {
            events += tiles[i].Events;
            if (slot >= 0)
            {
                summary.Merge(tiles[i].Columns[slot], feature.Needs, kind);
            }
        }

        return events;
    }

    private static long AddRaw(AggregationState state, FeaturePlan feature, ValueKind kind, long from, long to, ColumnSummary summary)
    {
        long events = 0;
        var raw = state.Raw;
        for (var i = state.RawLowerBound(from); i < raw.Count && raw[i].Time < to; i++)
        {
            events++;
            if (feature.Column >= 0)
            {
                summary.Add(raw[i].Values[feature.Column], raw[i].Time, raw[i].Created, feature.Needs, kind);
            }
        }

        return events;
    }

    private static object? Finish(FeaturePlan feature, ValueKind kind, ColumnSummary summary, long events)
    {
        switch (feature.Function)
        {
            case AggregationFunction.Count:
                return feature.Column < 0 ? events : summary.NonNull;
            case AggregationFunction.CountDistinct:
                return (long)(summary.Distinct?.Count ?? 0);
        }

        if (summary.NonNull == 0)
        {
            return null;
        }

        return feature.Function switch
        {
            AggregationFunction.Sum => kind.IsFloat() ? (object)(summary.SumDouble + summary.Compensation) : summary.SumLong,
            AggregationFunction.Avg => (kind.IsFloat() ? summary.SumDouble + summary.Compensation : summary.SumLong) / (double)summary.NonNull,
            AggregationFunction.Stddev => summary.NonNull < 2 ? null : (object)Math.Sqrt(Math.Max(0, summary.M2) / (summary.NonNull - 1)),
            AggregationFunction.Min => summary.Min.ToClr(kind),
            AggregationFunction.Max => summary.Max.ToClr(kind),
            AggregationFunction.First => summary.First.Value.ToClr(kind),
            AggregationFunction.Last => summary.Last.Value.ToClr(kind),
            AggregationFunction.LastK => LatestValues(summary.Latest!, kind),
            _ => throw new InvalidOperationException($"unknown function {feature.Function}"),
        };
    }

    /// <summary>The k latest values, newest first, as the array type of the column's list type.</summary>
    private static object LatestValues(List<Stamped> latest, ValueKind kind)
    {
        Array array = kind switch
        {
            ValueKind.Int32 => new int[latest.Count],
            ValueKind.Int64 => new long[latest.Count],
            ValueKind.Float32 => new float[latest.Count],
            ValueKind.Float64 => new double[latest.Count],
            ValueKind.String => new string[latest.Count],
            ValueKind.Bytes => new byte[latest.Count][],
            ValueKind.Bool => new bool[latest.Count],
            ValueKind.Timestamp => new DateTimeOffset[latest.Count],
            _ => throw new InvalidOperationException($"last_k of a {kind} column"),
        };
        for (var i = 0; i < latest.Count; i++)
        {
            array.SetValue(latest[i].Value.ToClr(kind), i);
        }

        return array;
    }
}
