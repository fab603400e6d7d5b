using Granary.Definitions;

namespace Granary.Transformations;

/// <summary>
/// The columns a compiled view reads and writes: one typed array per input and per output, with a
/// validity array beside each (null for an input without nulls). Online reads use a frame of one
/// row and offline batches a frame of many; the compiled kernels run over either unchanged.
/// Strings are <c>string?[]</c> (null marks a null); timestamps are microseconds since the epoch.
/// </summary>
internal sealed class ColumnFrame
{
    // Read by the compiled kernels (System.Linq.Expressions); fields rather than properties keep the generated code short.
    public readonly Array[] Values;
    public readonly bool[]?[] Valid;
    public readonly Array[] OutputValues;
    public readonly bool[][] OutputValid;

    private readonly bool[][] _validStorage;

    public ColumnFrame(IReadOnlyList<ScalarType> inputTypes, IReadOnlyList<ScalarType> outputTypes, int capacity, RowLayout layout)
    {
        Capacity = capacity;
        InputTypes = inputTypes;
        OutputTypes = outputTypes;
        Values = inputTypes.Select(t => Array.CreateInstance(ElementType(t), capacity)).ToArray();
        Valid = new bool[]?[inputTypes.Count];
        _validStorage = inputTypes.Select(_ => new bool[capacity]).ToArray();
        OutputValues = outputTypes.Select(t => Array.CreateInstance(ElementType(t), capacity)).ToArray();
        OutputValid = outputTypes.Select(_ => new bool[capacity]).ToArray();
        Row = new TransformationRow(this, layout);
    }

    public int Capacity { get; }

    public IReadOnlyList<ScalarType> InputTypes { get; }

    public IReadOnlyList<ScalarType> OutputTypes { get; }

    /// <summary>The row handed to C# functions; kernels move its index.</summary>
    public TransformationRow Row { get; }

    /// <summary>The array type that holds values of <paramref name="type"/>.</summary>
    public static Type ElementType(ScalarType type) => type switch
    {
        ScalarType.Bool => typeof(bool),
        ScalarType.Int32 => typeof(int),
        ScalarType.Int64 or ScalarType.UnixTimestamp => typeof(long),
        ScalarType.Float32 => typeof(float),
        ScalarType.Float64 => typeof(double),
        ScalarType.String => typeof(string),
        _ => throw new NotSupportedException($"{new DataType(type)} values are not supported by expressions"),
    };

    /// <summary>The validity array of an input, created on first need for a batch with nulls.</summary>
    public bool[] ValidStorage(int slot)
    {
        var storage = _validStorage[slot];
        Valid[slot] = storage;
        return storage;
    }

    /// <summary>Stores a boxed value at <paramref name="row"/> of input <paramref name="slot"/>, converting numbers that widen.</summary>
    public void SetInput(int slot, int row, object? value, string name)
    {
        var type = InputTypes[slot];
        if (value is null)
        {
            if (type == ScalarType.String)
            {
                ((string?[])Values[slot])[row] = null;
            }
            else
            {
                ValidStorage(slot)[row] = false;
            }

            return;
        }

        if (Valid[slot] is { } valid)
        {
            valid[row] = true;
        }

        switch (type)
        {
            case ScalarType.Float64:
                ((double[])Values[slot])[row] = value switch
                {
                    double d => d,
                    float f => f,
                    long l => l,
                    int i => i,
                    short s => s,
                    decimal m => (double)m,
                    _ => throw WrongType(name, type, value),
                };
                break;
            case ScalarType.Float32:
                ((float[])Values[slot])[row] = value switch
                {
                    float f => f,
                    double d => (float)d,
                    long l => l,
                    int i => i,
                    short s => s,
                    _ => throw WrongType(name, type, value),
                };
                break;
            case ScalarType.Int64:
                ((long[])Values[slot])[row] = value switch
                {
                    long l => l,
                    int i => i,
                    short s => s,
                    byte b => b,
                    uint u => u,
                    _ => throw WrongType(name, type, value),
                };
                break;
            case ScalarType.Int32:
                ((int[])Values[slot])[row] = value switch
                {
                    int i => i,
                    short s => s,
                    byte b => b,
                    long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
                    _ => throw WrongType(name, type, value),
                };
                break;
            case ScalarType.Bool:
                ((bool[])Values[slot])[row] = value as bool? ?? throw WrongType(name, type, value);
                break;
            case ScalarType.String:
                ((string?[])Values[slot])[row] = value as string ?? throw WrongType(name, type, value);
                break;
            case ScalarType.UnixTimestamp:
                ((long[])Values[slot])[row] = value switch
                {
                    DateTimeOffset o => ExpressionRuntime.ToMicros(o),
                    DateTime d when d.Kind == DateTimeKind.Utc => ExpressionRuntime.ToMicros(new DateTimeOffset(d)),
                    _ => throw WrongType(name, type, value),
                };
                break;
            default:
                throw WrongType(name, type, value);
        }
    }

    /// <summary>Marks every input as free of nulls for the next rows; <see cref="SetInput"/> and the Arrow loader put validity back where needed.</summary>
    public void ResetValidity() => Array.Clear(Valid);

    /// <summary>The value of output <paramref name="output"/> at <paramref name="row"/>, boxed; null for a null.</summary>
    public object? GetOutput(int output, int row)
    {
        if (!OutputValid[output][row])
        {
            return null;
        }

        return Box(OutputTypes[output], OutputValues[output], row);
    }

    /// <summary>The value of input <paramref name="slot"/> at <paramref name="row"/>, boxed; null for a null.</summary>
    public object? GetInput(int slot, int row)
    {
        if (Valid[slot] is { } valid && !valid[row])
        {
            return null;
        }

        return Box(InputTypes[slot], Values[slot], row);
    }

    /// <summary>One value of a typed column array, boxed as its CLR type (timestamps as instants).</summary>
    private static object? Box(ScalarType type, Array values, int row) => type switch
    {
        ScalarType.Float64 => ((double[])values)[row],
        ScalarType.Float32 => ((float[])values)[row],
        ScalarType.Int64 => ((long[])values)[row],
        ScalarType.Int32 => ((int[])values)[row],
        ScalarType.Bool => ((bool[])values)[row],
        ScalarType.String => ((string?[])values)[row],
        ScalarType.UnixTimestamp => ExpressionRuntime.ToInstant(((long[])values)[row]),
        _ => throw new InvalidOperationException($"unexpected column type {type}"),
    };

    /// <summary>Stores a C# function's result at <paramref name="row"/> of output <paramref name="output"/>.</summary>
    public void SetOutput(int output, int row, object? value, string name)
    {
        var valid = OutputValid[output];
        valid[row] = value is not null;
        if (value is null)
        {
            if (OutputTypes[output] == ScalarType.String)
            {
                ((string?[])OutputValues[output])[row] = null;
            }

            return;
        }

        var values = OutputValues[output];
        var type = OutputTypes[output];
        switch (type)
        {
            case ScalarType.Float64:
                ((double[])values)[row] = value switch
                {
                    double d => d,
                    float f => f,
                    long l => l,
                    int i => i,
                    _ => throw WrongResult(name, type, value),
                };
                break;
            case ScalarType.Float32:
                ((float[])values)[row] = value switch
                {
                    float f => f,
                    double d => (float)d,
                    long l => l,
                    int i => i,
                    _ => throw WrongResult(name, type, value),
                };
                break;
            case ScalarType.Int64:
                ((long[])values)[row] = value switch
                {
                    long l => l,
                    int i => i,
                    _ => throw WrongResult(name, type, value),
                };
                break;
            case ScalarType.Int32:
                ((int[])values)[row] = value as int? ?? throw WrongResult(name, type, value);
                break;
            case ScalarType.Bool:
                ((bool[])values)[row] = value as bool? ?? throw WrongResult(name, type, value);
                break;
            case ScalarType.String:
                ((string?[])values)[row] = value as string ?? throw WrongResult(name, type, value);
                break;
            case ScalarType.UnixTimestamp:
                ((long[])values)[row] = value is DateTimeOffset o ? ExpressionRuntime.ToMicros(o) : throw WrongResult(name, type, value);
                break;
            default:
                throw WrongResult(name, type, value);
        }
    }

    private static TransformationException WrongType(string name, ScalarType type, object value) =>
        new($"input '{name}' is declared {new DataType(type)} but the value is a {value.GetType().Name}");

    private static TransformationException WrongResult(string name, ScalarType type, object value) =>
        new($"the C# function for feature '{name}' returned a {value.GetType().Name}, but the feature is declared {new DataType(type)}");
}
