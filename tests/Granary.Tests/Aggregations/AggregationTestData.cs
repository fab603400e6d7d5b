using Granary.Conformance;
using Granary.Definitions;

namespace Granary.Tests.Aggregations;

/// <summary>Views with every function and random events with every column type, nulls, ties and non-ASCII strings.</summary>
internal static class AggregationTestData
{
    public static readonly DateTimeOffset Start = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly (string Name, DataType Type)[] Columns =
    [
        ("amount", DataType.Float64), ("qty", DataType.Int64), ("units", new DataType(ScalarType.Int32)),
        ("price", new DataType(ScalarType.Float32)), ("merchant", DataType.String), ("flag", new DataType(ScalarType.Bool)),
        ("seen", new DataType(ScalarType.UnixTimestamp)), ("blob", new DataType(ScalarType.Bytes)), ("tags", DataType.Parse("string_list")),
    ];

    /// <summary>Strings whose UTF-8 order differs from their UTF-16 order (U+FFFD vs an emoji) and from culture order.</summary>
    private static readonly string[] Merchants = ["a", "B", "b", "é", "z", "\uFFFD", "😀", "ab", string.Empty];

    /// <summary>An aggregation view over the test columns with every function at <paramref name="windows"/>.</summary>
    public static AggregationView View(TimeSpan? hop, params string[] windows)
    {
        Aggregation A(AggregationFunction function, string? column, int? k = null) => new()
        {
            Column = column,
            Function = function,
            Windows = windows,
            K = k,
            ColumnType = column is null ? null : Columns.First(c => c.Name == column).Type,
        };

        return new AggregationView
        {
            Name = "txn",
            Entities = ["user"],
            Source = "events",
            Hop = hop,
            Aggregations =
            [
                A(AggregationFunction.Count, null),
                A(AggregationFunction.Count, "amount"),
                A(AggregationFunction.Count, "tags"),
                A(AggregationFunction.Sum, "amount"),
                A(AggregationFunction.Sum, "qty"),
                A(AggregationFunction.Sum, "units"),
                A(AggregationFunction.Sum, "price"),
                A(AggregationFunction.Avg, "amount"),
                A(AggregationFunction.Avg, "qty"),
                A(AggregationFunction.Stddev, "amount"),
                A(AggregationFunction.Stddev, "units"),
                A(AggregationFunction.Min, "amount"),
                A(AggregationFunction.Max, "qty"),
                A(AggregationFunction.Min, "merchant"),
                A(AggregationFunction.Max, "merchant"),
                A(AggregationFunction.Max, "seen"),
                A(AggregationFunction.Min, "price"),
                A(AggregationFunction.First, "merchant"),
                A(AggregationFunction.Last, "merchant"),
                A(AggregationFunction.First, "flag"),
                A(AggregationFunction.Last, "units"),
                A(AggregationFunction.Last, "blob"),
                A(AggregationFunction.LastK, "merchant", 3),
                A(AggregationFunction.LastK, "qty", 1),
                A(AggregationFunction.LastK, "amount", 5),
                A(AggregationFunction.CountDistinct, "merchant"),
                A(AggregationFunction.CountDistinct, "qty"),
            ],
        };
    }

    /// <summary>
    /// <paramref name="count"/> events of one entity over <paramref name="span"/> from <see cref="Start"/>:
    /// clustered (several at one instant, with and without equal created times), about a fifth of
    /// values null, times at microsecond precision.
    /// </summary>
    public static List<OracleEvent> Events(int seed, int count, TimeSpan span, bool withCreated = true)
    {
        var random = new Random(seed);
        var events = new List<OracleEvent>();
        var spanUs = span.Ticks / 10;
        while (events.Count < count)
        {
            var time = Start.AddTicks(random.NextInt64(spanUs) * 10);
            var burst = random.Next(10) == 0 ? random.Next(2, 5) : 1;
            for (var b = 0; b < burst && events.Count < count; b++)
            {
                DateTimeOffset? created = !withCreated ? null : random.Next(6) switch
                {
                    0 => null,
                    1 => time,
                    _ => time.AddSeconds(random.Next(3)),
                };
                var values = new Dictionary<string, object?>
                {
                    ["amount"] = Maybe(random, () => Math.Round((random.NextDouble() * 200) - 20, 2)),
                    ["qty"] = Maybe(random, () => (long)random.Next(-5, 50)),
                    ["units"] = Maybe(random, () => random.Next(0, 9)),
                    ["price"] = Maybe(random, () => (float)Math.Round(random.NextDouble() * 10, 1)),
                    ["merchant"] = Maybe(random, () => Merchants[random.Next(Merchants.Length)]),
                    ["flag"] = Maybe(random, () => random.Next(2) == 0),
                    ["seen"] = Maybe(random, () => Start.AddMinutes(random.Next(100_000))),
                    ["blob"] = Maybe(random, () => new[] { (byte)random.Next(3), (byte)random.Next(256) }),
                    ["tags"] = Maybe(random, () => new[] { "x" }),
                };
                events.Add(new OracleEvent(7L, time, created, values));
            }
        }

        return events;
    }

    /// <summary>
    /// Instants to read at: every event time, ± 1 µs, every event time + each window (± 1 µs), and
    /// random ones, from <paramref name="from"/> on, in order.
    /// </summary>
    public static List<DateTimeOffset> Instants(IEnumerable<OracleEvent> events, AggregationView view, DateTimeOffset from, int seed, int limit)
    {
        var random = new Random(seed);
        var windows = view.Features.Select(f => f.Window).Distinct().ToList();
        var times = new HashSet<DateTimeOffset>();
        foreach (var e in events)
        {
            foreach (var shift in windows.Prepend(TimeSpan.Zero))
            {
                foreach (var micro in new[] { -1, 0, 1 })
                {
                    times.Add(e.Time + shift + TimeSpan.FromMicroseconds(micro));
                }
            }
        }

        var list = times.Where(t => t >= from).OrderBy(_ => random.Next()).Take(limit).ToList();
        var last = list.Count == 0 ? from : list.Max();
        for (var i = 0; i < limit / 10; i++)
        {
            list.Add(from.AddTicks(random.NextInt64((last - from).Ticks + 1) / 10 * 10));
        }

        list.Sort();
        return list;
    }

    private static object? Maybe(Random random, Func<object> value) => random.Next(5) == 0 ? null : value();
}
