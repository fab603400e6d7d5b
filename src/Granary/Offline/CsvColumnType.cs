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
        BooleanType => new Builder<bool, BooleanArray.Builder>(
            () => new(), TryParseBool, (b, v) => b.Append(v), b => b.AppendNull(), b => b.Build()),
        Int64Type => new Builder<long, Int64Array.Builder>(
            () => new(), (text, out value) => long.TryParse(text, IntegerStyles, CultureInfo.InvariantCulture, out value), (b, v) => b.Append(v), b => b.AppendNull(), b => b.Build()),
        DoubleType => new Builder<double, DoubleArray.Builder>(
            () => new(), (text, out value) => double.TryParse(text, FloatStyles, CultureInfo.InvariantCulture, out value), (b, v) => b.Append(v), b => b.AppendNull(), b => b.Build()),
        TimestampType => new Builder<DateTimeOffset, TimestampArray.Builder>(
            () => new(TimeUnit.Microsecond, "UTC"), IsoTimestamp.TryParse, (b, v) => b.Append(TruncateToMicroseconds(v)), b => b.AppendNull(), b => b.Build()),
        _ => new Builder<string, StringArray.Builder>(
            () => new(), (text, out value) => (value = text.ToString()) is not null, (b, v) => b.Append(v), b => b.AppendNull(), b => b.Build()),
    };

    /// <summary>Whole microseconds, truncated, so that every store keeps the same instant.</summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero);

    private static bool TryParseBool(ReadOnlySpan<char> text, out bool value)
    {
        value = text.Equals("true", StringComparison.OrdinalIgnoreCase);
        return value || text.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

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

    private delegate bool SpanParser<T>(ReadOnlySpan<char> text, out T value);

    /// <summary>Parses values of one type into an Arrow builder of that type.</summary>
    private sealed class Builder<T, TBuilder> : ColumnBuilder
    {
        private readonly Func<TBuilder> _create;
        private readonly SpanParser<T> _parse;
        private readonly Action<TBuilder, T> _append;
        private readonly Action<TBuilder> _appendNull;
        private readonly Func<TBuilder, IArrowArray> _build;
        private TBuilder _builder;

        public Builder(Func<TBuilder> create, SpanParser<T> parse, Action<TBuilder, T> append, Action<TBuilder> appendNull, Func<TBuilder, IArrowArray> build)
        {
            _create = create;
            _parse = parse;
            _append = append;
            _appendNull = appendNull;
            _build = build;
            _builder = create();
        }

        public override bool TryAppend(ReadOnlySpan<char> value)
        {
            if (!_parse(value, out var parsed))
            {
                return false;
            }

            _append(_builder, parsed);
            return true;
        }

        public override void AppendNull() => _appendNull(_builder);

        public override IArrowArray Build()
        {
            var array = _build(_builder);
            _builder = _create();
            return array;
        }
    }
}
