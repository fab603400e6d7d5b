using System.Diagnostics;
using System.Globalization;

namespace Granary.Benchmarks.Online;

/// <summary>Per-call latencies of an operation after a warm-up: median, 99th percentile and mean.</summary>
internal sealed record Latency(long P50Ticks, long P99Ticks, double MeanTicks)
{
    public string P50 => Format(P50Ticks);

    public string P99 => Format(P99Ticks);

    public string Mean => Format((long)MeanTicks);

    public static async Task<Latency> MeasureAsync(int iterations, Func<Task> action)
    {
        for (var i = 0; i < Math.Max(200, iterations / 10); i++)
        {
            await action();
        }

        var samples = new long[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await action();
            samples[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(samples);
        return new Latency(samples[iterations / 2], samples[(int)Math.Ceiling(iterations * 0.99) - 1], samples.Average());
    }

    private static string Format(long ticks)
    {
        var ms = ticks * 1000.0 / Stopwatch.Frequency;
        return ms.ToString("0.000", CultureInfo.InvariantCulture) + " ms";
    }
}
