namespace Granary.Repo;

/// <summary>How a <see cref="TimeSpan"/> key of <c>granary.yaml</c> is written.</summary>
public enum DurationFormat
{
    /// <summary>A duration such as <c>30s</c>, <c>1h30m</c> or <c>0</c> (see <see cref="Definitions.Duration"/>).</summary>
    Duration,

    /// <summary>A number of seconds, such as <c>5</c> or <c>0.5</c>.</summary>
    Seconds,

    /// <summary>A number of milliseconds, such as <c>1000</c>.</summary>
    Milliseconds,
}
