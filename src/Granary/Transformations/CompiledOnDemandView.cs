using Granary.Definitions;

namespace Granary.Transformations;

/// <summary>
/// An on-demand view made ready to run: each output's expression parsed, type-checked and
/// compiled once to a delegate. The same delegates compute an online read (<see cref="EvaluateRow"/>)
/// and an offline batch (<see cref="EvaluateColumns"/>, <see cref="Evaluate"/>), so a feature has
/// bit-identical values in training and in serving. Compile once per registry version and share:
/// an instance is safe to use from many threads at once.
/// </summary>
public sealed partial class CompiledOnDemandView
{
    /// <summary>Rows per pass over an offline batch; bounds the scratch memory.</summary>
    internal const int ChunkSize = 65_536;

    private readonly RowLayout _layout;
    private readonly Kernel[] _kernels;
    private readonly ScalarType[] _outputTypes;
    private ColumnFrame? _rowFrame;
    private ColumnFrame? _batchFrame;

    private CompiledOnDemandView(OnDemandFeatureView view, RowLayout layout, Kernel[] kernels)
    {
        View = view;
        _layout = layout;
        _kernels = kernels;
        _outputTypes = view.Schema.Select(f => f.Dtype.Scalar).ToArray();
        InputTypes = layout.Types.Select(t => new DataType(t)).ToArray();
    }

    /// <summary>The view compiled.</summary>
    public OnDemandFeatureView View { get; }

    /// <summary>
    /// The inputs the view reads, in the order <see cref="EvaluateRow"/> and
    /// <see cref="EvaluateColumns"/> take them. May include <c>request_time</c> (the entity row's
    /// timestamp offline, the time of the read online) and <c>event_time</c> (the event timestamp
    /// of the row of the view's first feature view source; null when there is none).
    /// </summary>
    public IReadOnlyList<string> InputNames => _layout.Names;

    /// <summary>The type of each of <see cref="InputNames"/>.</summary>
    public IReadOnlyList<DataType> InputTypes { get; }

    /// <summary>The outputs, in the order values are returned: the view's schema.</summary>
    public IReadOnlyList<Field> Outputs => View.Schema;

    /// <summary>
    /// Compiles <paramref name="view"/> given the types of the names its expressions may read.
    /// Features without an expression are computed by the function registered for them in
    /// <paramref name="catalog"/>.
    /// </summary>
    /// <param name="view">The view.</param>
    /// <param name="inputs">Input name to type; see <see cref="OnDemandTransformation.InputsOf"/>.</param>
    /// <param name="catalog">C# functions for features without an expression; may be null.</param>
    /// <exception cref="TransformationException">An expression does not parse or type-check, or a feature has neither an expression nor a function.</exception>
    public static CompiledOnDemandView Compile(
        OnDemandFeatureView view, IReadOnlyDictionary<string, DataType> inputs, TransformationCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(inputs);
        var layout = new RowLayout();
        var functions = new Func<TransformationRow, object?>?[view.Schema.Count];
        for (var i = 0; i < view.Schema.Count; i++)
        {
            var field = view.Schema[i];
            Func<TransformationRow, object?>? function = null;
            if (catalog?.TryGet(view.Name, field.Name, out function) == true && field.Expression is not null)
            {
                throw Fail(view, field, "has both an expression and a C# function; keep one");
            }

            if (field.Expression is null && function is null)
            {
                throw Fail(view, field, "has no expression and no C# function is registered for it");
            }

            if (function is not null && !ExpressionCompiler.IsSupported(field.Dtype))
            {
                throw Fail(view, field, $"is declared {field.Dtype}, which transformations cannot compute");
            }

            functions[i] = function;
        }

        if (functions.Any(f => f is not null))
        {
            // A C# function may read any input, so the frame carries them all.
            foreach (var (name, type) in inputs.Where(p => ExpressionCompiler.IsSupported(p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                layout.Use(name, type.Scalar);
            }

            layout.Use(ExpressionCompiler.RequestTime, ScalarType.UnixTimestamp);
            layout.Use(ExpressionCompiler.EventTime, ScalarType.UnixTimestamp);
        }

        var kernels = new Kernel[view.Schema.Count];
        for (var i = 0; i < view.Schema.Count; i++)
        {
            var field = view.Schema[i];
            if (functions[i] is { } function)
            {
                kernels[i] = FunctionKernel(function, i, field.Name);
                continue;
            }

            try
            {
                kernels[i] = ExpressionCompiler.Build(field.Expression!, field.Dtype, i, inputs, view.Constants, layout).Compile();
            }
            catch (TransformationException e)
            {
                throw new TransformationException($"{view.Kind} '{view.Name}': feature '{field.Name}': {e.Message}", e);
            }
        }

        return new CompiledOnDemandView(view, layout, kernels);
    }

    /// <summary>Compiles <paramref name="view"/> with the inputs its sources in <paramref name="set"/> give it.</summary>
    /// <exception cref="TransformationException">As for <see cref="Compile(OnDemandFeatureView, IReadOnlyDictionary{string, DataType}, TransformationCatalog?)"/>.</exception>
    public static CompiledOnDemandView Compile(OnDemandFeatureView view, DefinitionSet set, TransformationCatalog? catalog = null) =>
        Compile(view, OnDemandTransformation.InputsOf(view, set), catalog);

    /// <summary>
    /// Computes the outputs for one entity row, as an online read does.
    /// </summary>
    /// <param name="inputs">
    /// One value per <see cref="InputNames"/>, in that order: <see cref="double"/>, <see cref="float"/>,
    /// <see cref="long"/>, <see cref="int"/>, <see cref="bool"/>, <see cref="string"/> or
    /// <see cref="DateTimeOffset"/> by the input's type (narrower numbers widen), or null.
    /// </param>
    /// <param name="outputs">Receives one value per <see cref="Outputs"/>, boxed the same way; null for a null.</param>
    /// <exception cref="TransformationException">An input value has the wrong type.</exception>
    public void EvaluateRow(ReadOnlySpan<object?> inputs, Span<object?> outputs)
    {
        if (inputs.Length != _layout.Names.Count)
        {
            throw new ArgumentException($"expected {_layout.Names.Count} input values ({string.Join(", ", _layout.Names)}), got {inputs.Length}", nameof(inputs));
        }

        if (outputs.Length < _kernels.Length)
        {
            throw new ArgumentException($"room for {_kernels.Length} outputs is needed, got {outputs.Length}", nameof(outputs));
        }

        var frame = Interlocked.Exchange(ref _rowFrame, null) ?? NewFrame(1);
        frame.ResetValidity();
        for (var i = 0; i < inputs.Length; i++)
        {
            frame.SetInput(i, 0, inputs[i], _layout.Names[i]);
        }

        foreach (var kernel in _kernels)
        {
            kernel(frame, 0, 1);
        }

        for (var o = 0; o < _kernels.Length; o++)
        {
            outputs[o] = frame.GetOutput(o, 0);
        }

        Volatile.Write(ref _rowFrame, frame);
    }

    private ColumnFrame NewFrame(int capacity) => new(_layout.Types, _outputTypes, capacity, _layout);

    private static Kernel FunctionKernel(Func<TransformationRow, object?> function, int output, string name) =>
        (frame, start, end) =>
        {
            var row = frame.Row;
            for (var i = start; i < end; i++)
            {
                row.Index = i;
                frame.SetOutput(output, i, function(row), name);
            }
        };

    private static TransformationException Fail(OnDemandFeatureView view, Field field, string problem) =>
        new($"{view.Kind} '{view.Name}': feature '{field.Name}' {problem}");
}
