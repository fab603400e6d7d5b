using System.Diagnostics.CodeAnalysis;

namespace Granary.Transformations;

/// <summary>
/// Transformations written in C#: a function per output feature of an on-demand view, registered
/// in code. A feature whose <see cref="Definitions.Field.Expression"/> is null is computed by the
/// function registered here under its view and name. The engine calls the same delegate, one row
/// at a time, for online reads and for offline batches, so training and serving agree.
/// </summary>
/// <example>
/// <code>
/// var catalog = new TransformationCatalog()
///     .Register("driver_adjusted", "speed_kmh", row => row.GetDouble("distance_km") / row.GetDouble("hours"));
/// var compiled = CompiledOnDemandView.Compile(view, inputs, catalog);
/// </code>
/// </example>
public sealed class TransformationCatalog
{
    private readonly Dictionary<(string View, string Feature), Func<TransformationRow, object?>> _functions = [];

    /// <summary>
    /// Registers <paramref name="function"/> as the computation of <paramref name="feature"/> of the
    /// on-demand view <paramref name="view"/>. It must return a value of the feature's declared
    /// type (integers widen to wider integers and floats; a double narrows to a float32 feature) or
    /// null, and must not keep the row. Returns this catalog, for chaining.
    /// </summary>
    /// <exception cref="ArgumentException">A function is already registered for that feature.</exception>
    public TransformationCatalog Register(string view, string feature, Func<TransformationRow, object?> function)
    {
        ArgumentException.ThrowIfNullOrEmpty(view);
        ArgumentException.ThrowIfNullOrEmpty(feature);
        ArgumentNullException.ThrowIfNull(function);
        if (!_functions.TryAdd((view, feature), function))
        {
            throw new ArgumentException($"a function is already registered for feature '{feature}' of view '{view}'", nameof(feature));
        }

        return this;
    }

    /// <summary>The function registered for <paramref name="feature"/> of <paramref name="view"/>, if any.</summary>
    public bool TryGet(string view, string feature, [NotNullWhen(true)] out Func<TransformationRow, object?>? function) =>
        _functions.TryGetValue((view, feature), out function);
}
