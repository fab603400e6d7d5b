using System.ComponentModel.DataAnnotations;
using Granary.FeatureLogs;
using Granary.Transformations;

namespace Granary;

/// <summary>
/// The settings of a <see cref="FeatureStore"/>, fixed when it is built: pass them to its constructor
/// or set <see cref="FeatureStoreBuilder.Options"/>. The stores' own settings are in their sections
/// of <c>granary.yaml</c>.
/// </summary>
public sealed class FeatureStoreOptions
{
    /// <summary>
    /// Who keeps the served registry snapshot current. Default <see cref="RegistryRefreshMode.OnRead"/>;
    /// a host that refreshes in the background (the feature server) must build its store with
    /// <see cref="RegistryRefreshMode.ByHost"/>.
    /// </summary>
    [EnumDataType(typeof(RegistryRefreshMode), ErrorMessage = "{0} must be OnRead or ByHost")]
    public RegistryRefreshMode RegistryRefresh { get; init; } = RegistryRefreshMode.OnRead;

    /// <summary>
    /// With <see cref="RegistryRefreshMode.OnRead"/>, how long a cached registry snapshot serves
    /// reads before its version is checked again; zero checks on every read. Default 5 seconds,
    /// valid 0 to 1 day; not used with <see cref="RegistryRefreshMode.ByHost"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = "{0} must be 0 to 1 day")]
    public TimeSpan RegistryRefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How far past the clock the event time of a row pushed to an aggregation view may be: clocks of
    /// producers drift, but an event from the future beyond this rejects the whole push. Aggregation
    /// state also keeps answering exactly the reads this much earlier than the clock at its last
    /// update (see docs/aggregations.md). Default 5 minutes, valid 0 to 1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = "{0} must be 0 to 1 day")]
    public TimeSpan FutureEventAllowance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// C# functions for on-demand features declared without an expression, run by the same engine
    /// as expressions, for training and serving alike. Default none. Register every function before
    /// building the store: views are compiled on first use and kept for the registry version.
    /// </summary>
    public TransformationCatalog? Transformations { get; init; }

    /// <summary>
    /// How served-feature logging (feature services with <c>logging</c>) queues and writes rows; the
    /// defaults of <see cref="FeatureLogOptions"/> unless replaced.
    /// </summary>
    public FeatureLogOptions FeatureLogs { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of its range.</summary>
    public void Validate()
    {
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), errors, validateAllProperties: true)
            || !Validator.TryValidateObject(FeatureLogs ?? throw new ArgumentException($"{nameof(FeatureStoreOptions)}: {nameof(FeatureLogs)} must not be null"), new ValidationContext(FeatureLogs), errors, validateAllProperties: true))
        {
            throw new ArgumentException($"{nameof(FeatureStoreOptions)}: {errors[0].ErrorMessage}");
        }
    }
}
