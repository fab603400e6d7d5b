namespace Granary.Aggregations;

/// <summary>
/// The partial aggregate of one column over a set of events (a tile, or a window being evaluated):
/// the non-null count and whatever <see cref="SummaryNeeds"/> asks for. Two summaries of disjoint
/// sets merge into the summary of their union, which is what lets tiles answer windows.
/// </summary>
/// <remarks>
/// Float sums are compensated (Neumaier) so that adding many tiles loses no more than one
/// rounding per tile; moments (count, mean, sum of squared deviations) merge by Chan's formula,
/// which stays exact where a sum of squares would cancel.
/// </remarks>
internal sealed class ColumnSummary
{
    /// <summary>Non-null values.</summary>
    public long NonNull;

    /// <summary>The sum of an integer column.</summary>
    public long SumLong;

    /// <summary>The sum of a float column.</summary>
    public double SumDouble;

    /// <summary>The running compensation of <see cref="SumDouble"/>; folded in when stored.</summary>
    public double Compensation;

    /// <summary>The mean of the values, for <c>stddev</c>.</summary>
    public double Mean;

    /// <summary>The sum of squared deviations from <see cref="Mean"/>, for <c>stddev</c>.</summary>
    public double M2;

    /// <summary>The least value.</summary>
    public AggValue Min;

    /// <summary>The greatest value.</summary>
    public AggValue Max;

    /// <summary>The earliest value.</summary>
    public Stamped First;

    /// <summary>The latest value.</summary>
    public Stamped Last;

    /// <summary>The latest values, newest first, at most <see cref="SummaryNeeds.LatestK"/>.</summary>
    public List<Stamped>? Latest;

    /// <summary>The distinct values.</summary>
    public HashSet<AggValue>? Distinct;

    /// <summary>The sum as stored: the compensation folded in.</summary>
    public double StoredSum => SumDouble + Compensation;

    /// <summary>Adds one event's value (nulls only count as events, which the tile counts).</summary>
    public void Add(in AggValue value, long time, long created, SummaryNeeds needs, ValueKind kind)
    {
        if (!value.HasValue)
        {
            return;
        }

        NonNull++;
        if (needs.Sum)
        {
            if (kind.IsFloat())
            {
                AddDouble(value.Double);
            }
            else
            {
                SumLong = unchecked(SumLong + value.Bits);
            }
        }

        if (needs.Moments)
        {
            var x = kind.IsFloat() ? value.Double : value.Bits;
            var delta = x - Mean;
            Mean += delta / NonNull;
            M2 += delta * (x - Mean);
        }

        if (needs.Min && (NonNull == 1 || AggValue.Compare(value, Min, kind) < 0))
        {
            Min = value;
        }

        if (needs.Max && (NonNull == 1 || AggValue.Compare(value, Max, kind) > 0))
        {
            Max = value;
        }

        if (needs.First || needs.Last || needs.LatestK > 0)
        {
            var stamped = new Stamped(time, created, value);
            if (needs.First && (!First.Value.HasValue || Stamped.Compare(stamped, First, kind) < 0))
            {
                First = stamped;
            }

            if (needs.Last && (!Last.Value.HasValue || Stamped.Compare(stamped, Last, kind) > 0))
            {
                Last = stamped;
            }

            if (needs.LatestK > 0)
            {
                InsertLatest(stamped, needs.LatestK, kind);
            }
        }

        if (needs.Distinct)
        {
            (Distinct ??= []).Add(value);
        }
    }

    /// <summary>Merges the summary of a disjoint set of events; only what <paramref name="needs"/> asks for.</summary>
    public void Merge(ColumnSummary other, SummaryNeeds needs, ValueKind kind)
    {
        if (other.NonNull == 0)
        {
            return;
        }

        var before = NonNull;
        NonNull += other.NonNull;
        if (needs.Sum)
        {
            if (kind.IsFloat())
            {
                AddDouble(other.SumDouble);
                AddDouble(other.Compensation);
            }
            else
            {
                SumLong = unchecked(SumLong + other.SumLong);
            }
        }

        if (needs.Moments)
        {
            var delta = other.Mean - Mean;
            var total = (double)NonNull;
            M2 += other.M2 + (delta * delta * before * other.NonNull / total);
            Mean += delta * other.NonNull / total;
        }

        if (needs.Min && (before == 0 || AggValue.Compare(other.Min, Min, kind) < 0))
        {
            Min = other.Min;
        }

        if (needs.Max && (before == 0 || AggValue.Compare(other.Max, Max, kind) > 0))
        {
            Max = other.Max;
        }

        if (needs.First && (!First.Value.HasValue || Stamped.Compare(other.First, First, kind) < 0))
        {
            First = other.First;
        }

        if (needs.Last && (!Last.Value.HasValue || Stamped.Compare(other.Last, Last, kind) > 0))
        {
            Last = other.Last;
        }

        if (needs.LatestK > 0 && other.Latest is { } latest)
        {
            foreach (var stamped in latest)
            {
                if (!InsertLatest(stamped, needs.LatestK, kind))
                {
                    break; // the rest are older still
                }
            }
        }

        if (needs.Distinct && other.Distinct is { } distinct)
        {
            (Distinct ??= []).UnionWith(distinct);
        }
    }

    /// <summary>Neumaier's compensated addition.</summary>
    private void AddDouble(double value)
    {
        var sum = SumDouble + value;
        Compensation += Math.Abs(SumDouble) >= Math.Abs(value) ? (SumDouble - sum) + value : (value - sum) + SumDouble;
        SumDouble = sum;
    }

    /// <summary>Inserts into the newest-first list if it is among the k latest; false when it is not.</summary>
    private bool InsertLatest(in Stamped stamped, int k, ValueKind kind)
    {
        var latest = Latest ??= new List<Stamped>(Math.Min(k, 8));
        var at = latest.Count;
        while (at > 0 && Stamped.Compare(stamped, latest[at - 1], kind) > 0)
        {
            at--;
        }

        if (at >= k)
        {
            return false;
        }

        latest.Insert(at, stamped);
        if (latest.Count > k)
        {
            latest.RemoveAt(k);
        }

        return true;
    }
}
