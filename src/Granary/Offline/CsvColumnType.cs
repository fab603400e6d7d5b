using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Granary.Offline;

/// <summary>
/// Infers one CSV column's type from its values by the rule of <see cref="EntityFileReader"/>, and
/// remembers the first value that ruled each type out, so that a message can point at it.
/// </summary>
internal sealed class CsvColumnType
{
    private const NumberStyles IntegerStyles = NumberStyles.AllowLeadingSign;
    private const NumberStyles FloatStyles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    private bool _any;
    private bool _bool = true;
    private bool _int64 = true;
    private bool _float64 = true;
    private bool _timestamp = true;

    /// <summary>The column's name.</summary>
    public CsvColumnType(string name, int index)
    {
        Name = name;
        Index = index;
    }

    public string Name { get; }

    public int Index { get; }

    /// <summary>The first values (line and text) that were not a bool, an int64, a float64 and a timestamp.</summary>
    public (int Line, string Value)? NotBool { get; private set; }

    public (int Line, string Value)? NotInt64 { get; private set; }

    public (int Line, string Value)? NotFloat64 { get; private set; }

    public (int Line, string Value)? NotTimestamp { get; private set; }

    /// <summary>The Arrow type of the column after every value was observed.</summary>
    public IArrowType ArrowType =>
        !_any ? (IArrowType)StringType.Default
        : _bool ? BooleanType.Default
        : _int64 ? Int64Type.Default
        : _float64 ? DoubleType.Default
        : _timestamp ? Timestamps
        : StringType.Default;

    /// <summary>The Arrow type of inferred timestamps: microseconds in UTC, as the stores keep them.</summary>
    public static TimestampType Timestamps { get; } = new(TimeUnit.Microsecond, "UTC");

    /// <summary>Narrows the candidates by one non-empty value.</summary>
    public void Observe(ReadOnlySpan<char> value, int line)
    {
        _any = true;
        if (_bool && !IsBool(value))
        {
            _bool = false;
            NotBool = (line, Shorten(value));
        }

        if (_int64 && !long.TryParse(value, IntegerStyles, CultureInfo.InvariantCulture, out _))
        {
            _int64 = false;
            NotInt64 = (line, Shorten(value));
        }

        // An integer too long for int64 is an identifier: as a float64 it would lose digits.
        if (_float64 && (IsIntegerText(value) ? !long.TryParse(value, IntegerStyles, CultureInfo.InvariantCulture, out _) : !double.TryParse(value, FloatStyles, CultureInfo.InvariantCulture, out _)))
        {
            _float64 = false;
            NotFloat64 = (line, Shorten(value));
        }

        if (_timestamp && !IsoTimestamp.TryParse(value, out _))
        {
            _timestamp = false;
            NotTimestamp = (line, Shorten(value));
        }
    }

    /// <summary>Whether a header name reads as a value: then the first line is probably a data row.</summary>
    public static bool LooksLikeValue(string name) =>
        IsBool(name)
        || double.TryParse(name, FloatStyles, CultureInfo.InvariantCulture, out _)
        || IsIntegerText(name)
        || IsoTimestamp.TryParse(name, out _);

    /// <summary>A builder of this column's Arrow arrays, parsing values by the inferred type.</summary>
    public ColumnBuilder CreateBuilder() => ArrowType switch
    {
        BooleanType => new BoolBuilder(),
        Int64Type => new Int64Builder(),
        DoubleType => new DoubleBuilder(),
        TimestampType => new TimestampBuilder(),
        _ => new TextBuilder(),
    };

    private static bool IsBool(ReadOnlySpan<char> value) =>
        value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase);

    private static bool IsIntegerText(ReadOnlySpan<char> value)
    {
        var digits = value.Length > 0 && value[0] is '+' or '-' ? value[1..] : value;
        return !digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9');
    }

    private static string Shorten(ReadOnlySpan<char> value) => value.Length <= 40 ? value.ToString() : string.Concat(value[..40], "...");

    /// <summary>Accumulates one column's values of a batch; <see cref="TryAppend"/> is false for a value of another type (the file changed).</summary>
    internal abstract class ColumnBuilder
    {
        public abstract bool TryAppend(ReadOnlySpan<char> value);

        public abstract void AppendNull();

        public abstract IArrowArray Build();
    }

    private sealed class BoolBuilder : ColumnBuilder
    {
        private BooleanArray.Builder _builder = new();

        public override bool TryAppend(ReadOnlySpan<char> value)
        {
            if (!IsBool(value))
            {
                return false;
            }

            _builder.Append(value.Equals("true", StringComparison.OrdinalIgnoreCase));
            return true;
        }

        public override void AppendNull() => _builder.AppendNull();

        public override IArrowArray Build()
        {
            var array = _builder.Build();
            _builder = new();
            return array;
        }
    }

    private sealed class Int64Builder : ColumnBuilder
    {
        private Int64Array.Builder _builder = new();

        public override bool TryAppend(ReadOnlySpan<char> value)
        {
            if (!long.TryParse(value, IntegerStyles, CultureInfo.InvariantCulture, out var parsed))
            {
                return false;
            }

            _builder.Append(parsed);
            return true;
        }

        public override void AppendNull() => _builder.AppendNull();

        public override IArrowArray Build()
        {
            var array = _builder.Build();
            _builder = new();
            return array;
        }
    }

    private sealed class DoubleBuilder : ColumnBuilder
    {
        private DoubleArray.Builder _builder = new();

        public override bool TryAppend(ReadOnlySpan<char> value)
        {
            if (!double.TryParse(value, FloatStyles, CultureInfo.InvariantCulture, out var parsed))
            {
                return false;
            }

            _builder.Append(parsed);
            return true;
        }

        public override void AppendNull() => _builder.AppendNull();

        public override IArrowArray Build()
        {
            var array = _builder.Build();
            _builder = new();
            return array;
        }
    }

    private sealed class TimestampBuilder : ColumnBuilder
    {
        private TimestampArray.Builder _builder = new(TimeUnit.Microsecond, "UTC");

        public override bool TryAppend(ReadOnlySpan<char> value)
        {
            if (!IsoTimestamp.TryParse(value, out var parsed))
            {
                return false;
            }

            // Whole microseconds, truncated, so that every store keeps the same instant.
            _builder.Append(new DateTimeOffset(parsed.UtcTicks - (parsed.UtcTicks % 10), TimeSpan.Zero));
            return true;
        }

        public override void AppendNull() => _builder.AppendNull();

        public override IArrowArray Build()
        {
            var array = _builder.Build();
            _builder = new(TimeUnit.Microsecond, "UTC");
            return array;
        }
    }

    private sealed class TextBuilder : ColumnBuilder
    {
        private StringArray.Builder _builder = new();

        public override bool TryAppend(ReadOnlySpan<char> value)
        {
            _builder.Append(value.ToString());
            return true;
        }

        public override void AppendNull() => _builder.AppendNull();

        public override IArrowArray Build()
        {
            var array = _builder.Build();
            _builder = new();
            return array;
        }
    }
}
