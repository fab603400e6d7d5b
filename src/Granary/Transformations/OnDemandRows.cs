using Granary.Online;

namespace Granary.Transformations;

/// <summary>
/// Runs an <see cref="OnDemandPlan"/> row by row over values read from the online store, with the
/// same compiled code and the same inputs that training runs over columns
/// (<see cref="OnDemandRetrievalResult"/>): serving reads and the recomputation of stored views
/// both come here.
/// </summary>
internal static class OnDemandRows
{
    /// <summary>Computes every output of the plan's steps for <paramref name="rowCount"/> rows.</summary>
    /// <param name="plan">The views to compute, in dependency order.</param>
    /// <param name="requestColumns">The request's columns by name; the plan's request fields are taken from here.</param>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="reads">Per feature view the plan reads, the view and the features read from it, in the order of the values found.</param>
    /// <param name="found">Per feature view the plan reads, the stored row of each request row, or null.</param>
    /// <param name="now">
    /// The read time: the value of <c>request_time</c>, and rows older than their view's ttl at this
    /// time feed nulls, as the point-in-time join leaves them. Null when rows are computed as of
    /// their own event time (at write time): then no ttl applies.
    /// </param>
    /// <returns>Per (on-demand view, output) one value per row.</returns>
    /// <exception cref="GranaryException">A request field the plan needs is missing or has a value of the wrong type.</exception>
    public static Dictionary<(string View, string Feature), object?[]> Compute(
        OnDemandPlan plan,
        IReadOnlyDictionary<string, IReadOnlyList<object?>> requestColumns,
        int rowCount,
        IReadOnlyDictionary<string, OnlineViewRead> reads,
        IReadOnlyDictionary<string, IReadOnlyList<OnlineRead?>> found,
        DateTimeOffset? now)
    {
        var request = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var field in plan.RequestFields)
        {
            var column = requestColumns.TryGetValue(field.Name, out var c)
                ? c
                : throw new GranaryException($"request field '{field.Name}' ({field.Dtype}) is missing: pass it beside the join keys");
            request[field.Name] = column.Select(v => FeatureValues.Convert(v, field.Dtype, field.Name)).ToArray();
        }

        var computed = new Dictionary<(string View, string Feature), object?[]>();
        foreach (var (view, bindings) in plan.Steps)
        {
            var outputs = view.Outputs.Select(_ => new object?[rowCount]).ToArray();
            var inputs = new object?[bindings.Count];
            var sources = new Source[bindings.Count];
            for (var i = 0; i < bindings.Count; i++)
            {
                var b = bindings[i];
                if (b.Kind == OnDemandInputKind.Feature || (b.Kind == OnDemandInputKind.EventTime && b.Source.Length > 0))
                {
                    var read = reads[b.Source];
                    sources[i] = new Source(found[b.Source], read.View.Ttl, b.Kind == OnDemandInputKind.Feature ? IndexOf(read, b.Name) : -1);
                }
            }

            var values = new object?[outputs.Length];
            for (var r = 0; r < rowCount; r++)
            {
                for (var i = 0; i < bindings.Count; i++)
                {
                    var b = bindings[i];
                    inputs[i] = b.Kind switch
                    {
                        OnDemandInputKind.Feature => sources[i].Usable(r, now)?.Values[sources[i].Field],
                        OnDemandInputKind.RequestField => request[b.Name][r],
                        OnDemandInputKind.OnDemandOutput => computed[(b.Source, b.Name)][r],
                        OnDemandInputKind.RequestTime => now,
                        OnDemandInputKind.EventTime => b.Source.Length == 0 ? null : sources[i].Usable(r, now)?.EventTimestamp,

                        // Training data computes these (OnDemandRetrievalResult); online reads of aggregation state come separately.
                        OnDemandInputKind.AggregationFeature => throw new GranaryException(
                            $"on-demand view '{view.View.Name}' reads aggregation view '{b.Source}', which online reads cannot feed to on-demand views yet; use it in training data"),
                        _ => throw new InvalidOperationException(b.Kind.ToString()),
                    };
                }

                view.EvaluateRow(inputs, values);
                for (var o = 0; o < outputs.Length; o++)
                {
                    outputs[o][r] = values[o];
                }
            }

            for (var o = 0; o < outputs.Length; o++)
            {
                computed[(view.View.Name, view.Outputs[o].Name)] = outputs[o];
            }
        }

        return computed;
    }

    private static int IndexOf(OnlineViewRead read, string feature)
    {
        for (var i = 0; i < read.Features.Count; i++)
        {
            if (read.Features[i].Name == feature)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Where a feature or event-time input is read from: the rows found for its view, the view's ttl and the feature's place in the values read.</summary>
    private readonly record struct Source(IReadOnlyList<OnlineRead?> Rows, TimeSpan Ttl, int Field)
    {
        /// <summary>The row read for request row <paramref name="row"/>, or null when none was found or it is outside the ttl at <paramref name="now"/>.</summary>
        public OnlineRead? Usable(int row, DateTimeOffset? now) =>
            Rows[row] is { } read && !(now is { } t && read.IsOutsideTtl(Ttl, t)) ? read : null;
    }
}
