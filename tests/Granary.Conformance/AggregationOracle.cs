using System.Text;
using Granary.Definitions;

namespace Granary.Conformance;

/// <summary>One event of a test: its entity, times and column values, as a source row holds them.</summary>
/// <param name="Entity">The entity key value (one join key).</param>
/// <param name="Time">The event time.</param>
/// <param name="Created">The created time, or null.</param>
/// <param name="Values">Column values by name; a missing name is null.</param>
public sealed record OracleEvent(object Entity, DateTimeOffset Time, DateTimeOffset? Created, IReadOnlyDictionary<string, object?> Values)
{
    /// <summary>The value of <paramref name="column"/>, null when absent.</summary>
    public object? this[string column] => Values.TryGetValue(column, out var v) ? v : null;
}

/// <summary>
/// The spec of aggregation views computed the slow, obvious way over a list of raw events: filter
/// the window, then count, sum, sort. Tests compare the code under test with it, never with itself.
/// </summary>
public static class AggregationOracle
{
    /// <summary>
    /// The value of <paramref name="function"/> over <paramref name="column"/> (null: events) for a
    /// window of <paramref name="window"/> and hop <paramref name="hop"/> read at <paramref name="t"/>.
    /// </summary>
    public static object? Compute(
        IEnumerable<OracleEvent> events, AggregationFunction function, string? column, TimeSpan window, TimeSpan hop, int? k, DateTimeOffset t)
    {
        // Microseconds from the epoch; a read's time is truncated to the microsecond.
        static long Us(DateTimeOffset time)
        {
            var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
            return ticks >= 0 ? ticks / 10 : -((-ticks + 9) / 10);
        }

        var end = Us(t);
        var start = end - (window.Ticks / 10);
        if (hop > TimeSpan.Zero)
        {
            var h = hop.Ticks / 10;
            start = start >= 0 ? start / h * h : -((-start + h - 1) / h) * h;
        }

        var inWindow = events.Where(e => Us(e.Time) >= start && Us(e.Time) < end).ToList();
        if (column is null)
        {
            return (long)inWindow.Count;
        }

        var present = inWindow.Where(e => e[column] is not null).ToList();
        var values = present.Select(e => e[column]!).ToList();
        switch (function)
        {
            case AggregationFunction.Count:
                return (long)values.Count;
            case AggregationFunction.CountDistinct:
                return (long)values.Select(Key).Distinct().Count();
        }

        if (values.Count == 0)
        {
            return null;
        }

        switch (function)
        {
            case AggregationFunction.Sum:
                return values[0] is int or long ? (object)values.Sum(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)) : values.Sum(AsDouble);
            case AggregationFunction.Avg:
                return values.Sum(AsDouble) / values.Count;
            case AggregationFunction.Stddev:
                if (values.Count < 2)
                {
                    return null;
                }

                var mean = values.Sum(AsDouble) / values.Count;
                return Math.Sqrt(values.Sum(v => (AsDouble(v) - mean) * (AsDouble(v) - mean)) / (values.Count - 1));
            case AggregationFunction.Min:
                return values.Aggregate((a, b) => CompareValues(b, a) < 0 ? b : a);
            case AggregationFunction.Max:
                return values.Aggregate((a, b) => CompareValues(b, a) > 0 ? b : a);
        }

        // first, last, last_k: by event time, then created (none earliest), then the value.
        var ordered = present
            .OrderBy(e => e.Time.UtcTicks / 10)
            .ThenBy(e => e.Created is { } c ? c.UtcTicks / 10 : long.MinValue)
            .ThenBy(e => e[column], Comparer<object?>.Create((a, b) => CompareValues(a!, b!)))
            .Select(e => e[column]!)
            .ToList();
        return function switch
        {
            AggregationFunction.First => ordered[0],
            AggregationFunction.Last => ordered[^1],
            AggregationFunction.LastK => ToTypedArray(Enumerable.Reverse(ordered).Take(k!.Value).ToList()),
            _ => throw new ArgumentOutOfRangeException(nameof(function), function, null),
        };
    }

    /// <summary>
    /// Whether a computed value equals the expected one: same type and value, doubles to a relative
    /// 1e-9 (of the larger magnitude, at least 1e-9 absolute), lists element by element.
    /// </summary>
    public static bool Same(object? expected, object? actual)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null;
        }

        if (expected is double e && actual is double a)
        {
            return double.IsNaN(e) ? double.IsNaN(a) : Math.Abs(e - a) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(e), Math.Abs(a)));
        }

        if (expected is System.Collections.IList list && actual is System.Collections.IList other && expected is not byte[])
        {
            return expected.GetType() == actual.GetType() && list.Count == other.Count && Enumerable.Range(0, list.Count).All(i => Same(list[i], other[i]));
        }

        if (expected is byte[] bytes)
        {
            return actual is byte[] actualBytes && bytes.AsSpan().SequenceEqual(actualBytes);
        }

        return expected.GetType() == actual.GetType() && expected.Equals(actual);
    }

    /// <summary>Shows a value for a failure message.</summary>
    public static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        byte[] b => Convert.ToHexString(b),
        DateTimeOffset t => t.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Show)) + "]",
        IFormattable f => $"{f.ToString(null, System.Globalization.CultureInfo.InvariantCulture)} ({value.GetType().Name})",
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>The spec's order of values: numbers by value, strings by their UTF-8 bytes, false before true.</summary>
    public static int CompareValues(object a, object b) => (a, b) switch
    {
        (string x, string y) => Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)),
        (byte[] x, byte[] y) => x.AsSpan().SequenceCompareTo(y),
        (bool x, bool y) => x.CompareTo(y),
        (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (float x, float y) => x.CompareTo(y),
        _ => Convert.ToDecimal(a, System.Globalization.CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(b, System.Globalization.CultureInfo.InvariantCulture)),
    };

    private static double AsDouble(object value) => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);

    private static object Key(object value) => value is byte[] b ? Convert.ToHexString(b) : value;

    private static object ToTypedArray(List<object> items)
    {
        var array = Array.CreateInstance(items[0].GetType(), items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            array.SetValue(items[i], i);
        }

        return array;
    }
}
