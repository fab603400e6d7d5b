using System.Globalization;

namespace Granary.Transformations;

/// <summary>
/// One row of inputs as a C# transformation sees it, the same object for an online read and for
/// each row of an offline batch. Values are read by input name: feature and request field names,
/// <c>request_time</c> and <c>event_time</c>. Do not keep the row after the function returns.
/// </summary>
public sealed class TransformationRow
{
    private readonly ColumnFrame _frame;
    private readonly RowLayout _layout;

    internal TransformationRow(ColumnFrame frame, RowLayout layout)
    {
        _frame = frame;
        _layout = layout;
    }

    /// <summary>The names that can be read, in slot order.</summary>
    public IReadOnlyList<string> Names => _layout.Names;

    /// <summary>The row's position in the frame; moved by the engine.</summary>
    internal int Index { get; set; }

    /// <summary>
    /// The value of <paramref name="name"/>: a <see cref="double"/>, <see cref="float"/>,
    /// <see cref="long"/>, <see cref="int"/>, <see cref="bool"/>, <see cref="string"/> or
    /// <see cref="DateTimeOffset"/> (UTC) by the input's declared type; null for a null.
    /// </summary>
    /// <exception cref="TransformationException">The view has no input of that name.</exception>
    public object? this[string name] => _frame.GetInput(Slot(name), Index);

    /// <summary>Whether the value of <paramref name="name"/> is null.</summary>
    public bool IsNull(string name) => this[name] is null;

    /// <summary>A numeric input as a double (integers and float32 widen); null for a null.</summary>
    public double? GetDouble(string name) => this[name] switch
    {
        null => null,
        double d => d,
        float f => f,
        long l => l,
        int i => i,
        var other => throw NotA(name, "number", other),
    };

    /// <summary>An integer input as a long; null for a null.</summary>
    public long? GetInt64(string name) => this[name] switch
    {
        null => null,
        long l => l,
        int i => i,
        var other => throw NotA(name, "integer", other),
    };

    /// <summary>A string input; null for a null.</summary>
    public string? GetString(string name) => this[name] switch
    {
        null => null,
        string s => s,
        var other => throw NotA(name, "string", other),
    };

    /// <summary>A bool input; null for a null.</summary>
    public bool? GetBool(string name) => this[name] switch
    {
        null => null,
        bool b => b,
        var other => throw NotA(name, "bool", other),
    };

    /// <summary>A timestamp input (UTC); null for a null.</summary>
    public DateTimeOffset? GetTimestamp(string name) => this[name] switch
    {
        null => null,
        DateTimeOffset t => t,
        var other => throw NotA(name, "timestamp", other),
    };

    private int Slot(string name) =>
        _layout.TryGetSlot(name, out var slot)
            ? slot
            : throw new TransformationException($"the transformation has no input '{name}'; inputs: {string.Join(", ", _layout.Names)}");

    private static TransformationException NotA(string name, string what, object value) =>
        new(string.Create(CultureInfo.InvariantCulture, $"input '{name}' is not a {what} but a {value.GetType().Name}"));
}
