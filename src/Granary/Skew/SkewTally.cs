using System.Collections;
using System.Globalization;
using Apache.Arrow;
using Granary.Definitions;
using Granary.Offline;
using Granary.Statistics;

namespace Granary.Skew;

/// <summary>
/// One feature's counts as batches of (served, offline) rows go by. Numbers are compared straight from their
/// Arrow arrays (the rule of <see cref="SkewValues"/> on unboxed values); other types, and every mismatch
/// (to find its cause and keep an example), go through <see cref="SkewValues"/> on .NET values. The examples
/// kept are the earliest mismatches by log time, then by the entity keys' rendering (then the values'), so that
/// they do not depend on the order the rows come in (the join returns them in any order).
/// </summary>
internal sealed class SkewTally(ObservedFeature feature)
{
    /// <summary>The examples kept so far, earliest first, each with its tie-break rendering.</summary>
    private readonly List<(SkewExample Example, string Rendering)> _examples = [];
    private long _compared;
    private long _matches;
    private long _valueDiffers;
    private long _stale;
    private long _onlineOnly;
    private long _offlineOnly;
    private double _smapeSum;
    private long _smapeRows;

    /// <summary>The feature's column: <c>view__feature</c>.</summary>
    public string Feature => feature.Name;

    /// <summary>The view the feature belongs to.</summary>
    public Definition View => feature.View;

    /// <summary>Counts a batch's rows.</summary>
    /// <param name="served">The served values; null when no logged row has the feature (nothing to compare).</param>
    /// <param name="servedTimes">The served values' event times, if logged.</param>
    /// <param name="logged">Non-null where the row was logged with the feature; null when every row was.</param>
    /// <param name="offline">The values recomputed offline.</param>
    /// <param name="offlineTimes">The event times of the offline rows chosen, for a feature view.</param>
    /// <param name="rows">The rows' keys and read times, for examples.</param>
    public void Add(IArrowArray? served, IArrowArray? servedTimes, IArrowArray? logged, IArrowArray offline, IArrowArray? offlineTimes, Rows rows)
    {
        if (served is null)
        {
            // Logged before the feature was in the service: nothing was served to compare with.
            return;
        }

        var type = feature.Field.Dtype;
        var floats = !type.IsList && type.Scalar is ScalarType.Float32 or ScalarType.Float64;
        var integers = !type.IsList && type.Scalar is ScalarType.Int32 or ScalarType.Int64;
        for (var row = 0; row < served.Length; row++)
        {
            if (logged is not null && logged.IsNull(row))
            {
                continue;
            }

            _compared++;
            var bothPresent = served.IsValid(row) && offline.IsValid(row);
            if (bothPresent && floats && Float(served, row) is { } a && Float(offline, row) is { } b)
            {
                AddSmape(SkewValues.SmapeTerm(a, b));
                if (SkewValues.Close(a, b))
                {
                    _matches++;
                    continue;
                }
            }
            else if (bothPresent && integers && Integer(served, row) is { } x && Integer(offline, row) is { } y)
            {
                AddSmape(SkewValues.SmapeTerm(x, y));
                if (x == y)
                {
                    _matches++;
                    continue;
                }
            }
            else if (!bothPresent && served.IsNull(row) && offline.IsNull(row))
            {
                _matches++;
                continue;
            }
            else
            {
                var onlineValue = ArrowBatches.GetValue(served, row);
                var offlineValue = ArrowBatches.GetValue(offline, row);
                AddSmape(SkewValues.SmapeTerm(onlineValue, offlineValue, type));
                if (SkewValues.Equal(onlineValue, offlineValue, type))
                {
                    _matches++;
                    continue;
                }
            }

            Mismatch(served, servedTimes, offline, offlineTimes, rows, row);
        }
    }

    private void Mismatch(IArrowArray served, IArrowArray? servedTimes, IArrowArray offline, IArrowArray? offlineTimes, Rows rows, int row)
    {
        var online = ArrowBatches.GetValue(served, row);
        var offlineValue = ArrowBatches.GetValue(offline, row);
        var onlineTime = servedTimes is null ? null : ArrowBatches.GetValue(servedTimes, row) as DateTimeOffset?;
        var offlineTime = offlineTimes is null ? null : ArrowBatches.GetValue(offlineTimes, row) as DateTimeOffset?;
        var cause = SkewValues.Cause(online, offlineValue, onlineTime, offlineTime);
        switch (cause)
        {
            case SkewValues.OnlineOnly: _onlineOnly++; break;
            case SkewValues.OfflineOnly: _offlineOnly++; break;
            case SkewValues.StaleOnline: _stale++; break;
            default: _valueDiffers++; break;
        }

        var time = rows.Time(row);
        if (_examples.Count == FeatureSkew.MaxExamples && time > _examples[^1].Example.LogTimestamp)
        {
            // Later than every example kept: the common case once the examples are full, decided on the time alone.
            return;
        }

        var example = new SkewExample(
            rows.Entity(row), time, SkewValues.Shown(online), SkewValues.Shown(offlineValue), onlineTime, offlineTime, cause);
        var candidate = (example, Rendering(example));
        var at = _examples.FindIndex(kept => Earlier(candidate, kept));
        if (at < 0)
        {
            at = _examples.Count;
        }

        if (at < FeatureSkew.MaxExamples)
        {
            _examples.Insert(at, candidate);
            if (_examples.Count > FeatureSkew.MaxExamples)
            {
                _examples.RemoveAt(_examples.Count - 1);
            }
        }
    }

    private static bool Earlier((SkewExample Example, string Rendering) a, (SkewExample Example, string Rendering) b)
    {
        var byTime = a.Example.LogTimestamp.CompareTo(b.Example.LogTimestamp);
        return byTime < 0 || (byTime == 0 && string.CompareOrdinal(a.Rendering, b.Rendering) < 0);
    }

    /// <summary>
    /// What orders examples of one log time: the entity keys (in the row's key order), then the values served and
    /// recomputed, as invariant text. Only a tie-break that never depends on the row order; not a numeric order.
    /// </summary>
    private static string Rendering(SkewExample example) =>
        string.Join('\u001f', example.Entity.Select(k => $"{k.Key}={Render(k.Value)}").Append(Render(example.Online)).Append(Render(example.Offline)));

    private static string Render(object? value) => value switch
    {
        null => "\u0000",
        string s => "\"" + s,
        DateTimeOffset t => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToHexString(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(Render)) + "]",
        _ => value.ToString() ?? string.Empty,
    };

    private void AddSmape(double? term)
    {
        if (term is { } t)
        {
            _smapeSum += t;
            _smapeRows++;
        }
    }

    /// <summary>A present float or double; null for an array of another type (then the boxed rule decides).</summary>
    private static double? Float(IArrowArray array, int row) => array switch
    {
        DoubleArray a => a.Values[row],
        FloatArray a => a.Values[row],
        _ => null,
    };

    /// <summary>A present 32- or 64-bit integer; null for an array of another type.</summary>
    private static long? Integer(IArrowArray array, int row) => array switch
    {
        Int64Array a => a.Values[row],
        Int32Array a => a.Values[row],
        _ => null,
    };

    /// <summary>The feature's report.</summary>
    public FeatureSkew Result() => new()
    {
        Feature = feature.Name,
        Compared = _compared,
        Matches = _matches,
        Smape = _smapeRows == 0 ? null : _smapeSum / _smapeRows,
        Causes = new SkewCauses(_valueDiffers, _stale, _onlineOnly, _offlineOnly),
        Examples = _examples.Select(e => e.Example).ToArray(),
    };

    /// <summary>What an example shows of a row besides the values: its join keys and read time.</summary>
    internal sealed class Rows((string Key, IArrowArray Values)[] keys, TimestampArray times)
    {
        public Dictionary<string, object?> Entity(int row) =>
            keys.ToDictionary(k => k.Key, k => ArrowBatches.GetValue(k.Values, row), StringComparer.Ordinal);

        public DateTimeOffset Time(int row) => (DateTimeOffset)ArrowBatches.GetValue(times, row)!;
    }
}
