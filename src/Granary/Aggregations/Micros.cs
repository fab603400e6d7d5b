namespace Granary.Aggregations;

/// <summary>Times as the state holds them: microseconds since the Unix epoch, and whole-step arithmetic on them.</summary>
internal static class Micros
{
    private static readonly long EpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    /// <summary>Microseconds since the Unix epoch, rounded toward the past (a read's time is truncated so).</summary>
    public static long Of(DateTimeOffset time) => FloorDivide(time.UtcTicks - EpochTicks, TimeSpan.TicksPerMicrosecond);

    /// <summary>Microseconds of an Arrow timestamp's raw <paramref name="value"/> in <paramref name="unit"/>, nanoseconds floored.</summary>
    public static long OfArrow(long value, Apache.Arrow.Types.TimeUnit unit) => unit switch
    {
        Apache.Arrow.Types.TimeUnit.Second => value * 1_000_000,
        Apache.Arrow.Types.TimeUnit.Millisecond => value * 1_000,
        Apache.Arrow.Types.TimeUnit.Microsecond => value,
        _ => FloorDivide(value, 1_000),
    };

    /// <summary>Microseconds of a span, truncated toward zero.</summary>
    public static long Of(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>The instant <paramref name="micros"/> microseconds after the Unix epoch, in UTC.</summary>
    public static DateTimeOffset ToTime(long micros) => new(EpochTicks + (micros * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    /// <summary>The greatest multiple of <paramref name="step"/> (positive) not above <paramref name="value"/>.</summary>
    public static long Floor(long value, long step)
    {
        var quotient = Math.DivRem(value, step, out var remainder);
        return (remainder < 0 ? quotient - 1 : quotient) * step;
    }

    /// <summary>The greatest common divisor of two positive numbers.</summary>
    public static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    private static long FloorDivide(long value, long divisor)
    {
        var quotient = Math.DivRem(value, divisor, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }
}
