using System.Globalization;
using System.Text;

namespace Granary.Online;

/// <summary>
/// The identity of one entity row: join key names and values in the view's key order. Values are
/// normalized (every integer is a <see cref="long"/>) so that equal keys are equal whatever the
/// caller's integer width.
/// </summary>
public sealed class EntityKey : IEquatable<EntityKey>
{
    private readonly string _canonical;

    /// <summary>Creates a key; <paramref name="names"/> and <paramref name="values"/> align.</summary>
    public EntityKey(IReadOnlyList<string> names, IReadOnlyList<object> values)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (names.Count != values.Count || names.Count == 0)
        {
            throw new ArgumentException("an entity key needs one value per join key name");
        }

        Names = names;
        Values = values.Select(Normalize).ToArray();
        var text = new StringBuilder();
        for (var i = 0; i < Names.Count; i++)
        {
            if (i > 0)
            {
                text.Append('\u001f');
            }

            text.Append(Escape(Names[i])).Append('=');
            switch (Values[i])
            {
                case long l:
                    text.Append('i').Append(l.ToString(CultureInfo.InvariantCulture));
                    break;
                case string s:
                    text.Append('s').Append(Escape(s));
                    break;
                case byte[] b:
                    text.Append('b').Append(Convert.ToBase64String(b));
                    break;
                default:
                    throw new ArgumentException($"join key '{Names[i]}' has a value of type {Values[i].GetType().Name}; expected an integer, string or bytes");
            }
        }

        _canonical = text.ToString();
    }

    /// <summary>The join key names.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The values: <see cref="long"/>, <see cref="string"/> or <see cref="byte"/> arrays.</summary>
    public IReadOnlyList<object> Values { get; }

    /// <summary>A stable text form, equal for equal keys, used by stores as the storage key.</summary>
    public string Canonical => _canonical;

    /// <summary>The UTF-8 bytes of <see cref="Canonical"/>.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes(_canonical);

    /// <inheritdoc/>
    public bool Equals(EntityKey? other) => other is not null && other._canonical == _canonical;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as EntityKey);

    /// <inheritdoc/>
    public override int GetHashCode() => _canonical.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => string.Join(",", Names.Select((n, i) => $"{n}={FormatValue(Values[i])}"));

    private static string FormatValue(object value) => value switch
    {
        byte[] b => Convert.ToBase64String(b),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>
    /// Escapes the separators (and the escape character) so that no two different keys share a
    /// canonical form, whatever their names and string values hold.
    /// </summary>
    private static string Escape(string text) =>
        text.AsSpan().IndexOfAny('\\', '\u001f', '=') < 0
            ? text
            : text.Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("\u001f", "\\x1f", StringComparison.Ordinal)
                .Replace("=", "\\x3d", StringComparison.Ordinal);

    private static object Normalize(object value) => value switch
    {
        int i => (long)i,
        short s => (long)s,
        uint u => (long)u,
        long or string or byte[] => value,
        _ => value,
    };
}
