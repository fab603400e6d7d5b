using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Granary.Definitions;

namespace Granary.Repo;

/// <summary>
/// The one way an options class is filled from its <c>granary.yaml</c> section: each property marked
/// <see cref="YamlKeyAttribute"/> takes its key's value, read according to the property's type; keys
/// no property claims are errors; then the options' own rules (<see cref="RangeAttribute"/>,
/// <see cref="RequiredAttribute"/>, <see cref="IValidatableObject"/>) are checked. Every problem
/// names <c>granary.yaml</c>, the line and the key.
/// </summary>
public static class ConfigBinder
{
    /// <summary>
    /// Sets <paramref name="options"/> from <paramref name="section"/> and validates them; relative
    /// repo paths (<see cref="YamlKeyAttribute.RepoPath"/>) become absolute, defaults included.
    /// </summary>
    /// <param name="options">The options, holding their defaults.</param>
    /// <param name="section">The section.</param>
    /// <param name="repo">The repo, for paths; null for a section without paths.</param>
    /// <param name="otherKeys">Keys the caller reads itself (such as a registry's <c>dialect</c>); they are not unknown.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="RepoValidationException">One line per problem.</exception>
    public static T Bind<T>(T options, StoreConfig section, RepoConfig? repo, params IEnumerable<string> otherKeys)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(section);
        var errors = new List<string>();
        var bound = Properties(typeof(T));
        var others = otherKeys.ToHashSet(StringComparer.Ordinal);
        foreach (var key in section.Keys.Where(k => !bound.ContainsKey(k) && !others.Contains(k)))
        {
            var known = bound.Keys.Concat(others).Order(StringComparer.Ordinal);
            errors.Add($"{section.Where(key)}: unknown key; expected one of: {string.Join(", ", known)}");
        }

        foreach (var (key, (property, attribute)) in bound)
        {
            if (section.Nested.ContainsKey(key))
            {
                errors.Add($"{section.Where(key)}: must be a single value, not a list or mapping");
            }
            else if (section.Get(key) is { } text)
            {
                if (TryRead(text, property.PropertyType, attribute, out var value))
                {
                    property.SetValue(options, value);
                }
                else
                {
                    errors.Add($"{section.Where(key)}: '{text}' is not {Expected(property.PropertyType, attribute)}");
                }
            }

            if (attribute.RepoPath && property.GetValue(options) is string { Length: > 0 } path)
            {
                try
                {
                    var resolved = repo?.ResolvePath(path, section.Where(key))
                        ?? throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} is a repo path: bind it with the repo");
                    property.SetValue(options, resolved);
                }
                catch (GranaryException e)
                {
                    errors.Add(e.Message);
                }
            }
        }

        if (errors.Count == 0)
        {
            errors.AddRange(Check(options, property => section.Where(bound.FirstOrDefault(b => b.Value.Property == property).Key ?? Snake(property.Name))));
        }

        return errors.Count > 0 ? throw new RepoValidationException(errors) : options;
    }

    /// <summary>Checks options built in code against their rules; throws naming the first property out of range.</summary>
    /// <param name="options">The options.</param>
    /// <param name="what">What they configure, for the message (for example <c>SQLite online store</c>).</param>
    /// <exception cref="GranaryException">A value is out of its range or a required one is missing.</exception>
    public static void Validate<T>(T options, string what)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        var bound = Properties(typeof(T));
        var errors = Check(options, property => $"{what}: {bound.FirstOrDefault(b => b.Value.Property == property).Key ?? Snake(property.Name)}");
        if (errors.Count > 0)
        {
            throw new GranaryException(string.Join("; ", errors));
        }
    }

    private static List<string> Check(object options, Func<PropertyInfo, string> where)
    {
        var errors = new List<string>();
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var attribute = property.GetCustomAttribute<YamlKeyAttribute>();
            var value = property.GetValue(options);
            foreach (var rule in property.GetCustomAttributes<ValidationAttribute>())
            {
                if (rule is RequiredAttribute && value is null or "")
                {
                    errors.Add($"{where(property)}: is required");
                }
                else if (rule is RangeAttribute range && value is not null && !range.IsValid(value))
                {
                    errors.Add($"{where(property)}: must be from {Show(range.Minimum, property.PropertyType, attribute)} to " +
                        $"{Show(range.Maximum, property.PropertyType, attribute)}, not {Show(value, property.PropertyType, attribute)}");
                }
                else if (rule is not (RequiredAttribute or RangeAttribute) && value is not null && !rule.IsValid(value))
                {
                    errors.Add($"{where(property)}: {rule.FormatErrorMessage(property.Name)}, not '{value}'");
                }
            }
        }

        if (options is IValidatableObject validatable)
        {
            foreach (var result in validatable.Validate(new ValidationContext(options)))
            {
                var property = result.MemberNames.Select(n => options.GetType().GetProperty(n)).FirstOrDefault(p => p is not null);
                errors.Add(property is null ? result.ErrorMessage ?? "invalid" : $"{where(property)}: {result.ErrorMessage}");
            }
        }

        return errors;
    }

    private static Dictionary<string, (PropertyInfo Property, YamlKeyAttribute Attribute)> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<YamlKeyAttribute>()))
            .Where(p => p.Attribute is not null)
            .ToDictionary(p => p.Attribute!.Key, p => (p.Property, p.Attribute!), StringComparer.Ordinal);

    private static bool TryRead(string text, Type type, YamlKeyAttribute attribute, out object? value)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        var invariant = CultureInfo.InvariantCulture;
        value = null;
        if (target == typeof(string))
        {
            value = text;
            return true;
        }

        if (target == typeof(int) && int.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var i))
        {
            value = i;
            return true;
        }

        if (target == typeof(long) && long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var l))
        {
            value = l;
            return true;
        }

        if (target == typeof(double) && double.TryParse(text, NumberStyles.Float, invariant, out var d) && double.IsFinite(d))
        {
            value = d;
            return true;
        }

        if (target == typeof(bool) && text is "true" or "false" or "True" or "False")
        {
            value = text is "true" or "True";
            return true;
        }

        if (target == typeof(TimeSpan))
        {
            if (attribute.Format == DurationFormat.Duration)
            {
                var ok = Duration.TryParse(text, out var span);
                value = span;
                return ok;
            }

            if (double.TryParse(text, NumberStyles.Float, invariant, out var amount) && double.IsFinite(amount) && Math.Abs(amount) < 1e12)
            {
                value = attribute.Format == DurationFormat.Seconds ? TimeSpan.FromSeconds(amount) : TimeSpan.FromMilliseconds(amount);
                return true;
            }
        }

        return false;
    }

    private static string Expected(Type type, YamlKeyAttribute attribute)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return target == typeof(int) || target == typeof(long) ? "a whole number"
            : target == typeof(double) ? "a number"
            : target == typeof(bool) ? "true or false"
            : target == typeof(TimeSpan) ? attribute.Format switch
            {
                DurationFormat.Seconds => "a number of seconds",
                DurationFormat.Milliseconds => "a number of milliseconds",
                _ => "a duration such as 30s, 5m, 1h or 0",
            }
            : $"a {target.Name}";
    }

    private static string Show(object value, Type type, YamlKeyAttribute? attribute)
    {
        var invariant = CultureInfo.InvariantCulture;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(TimeSpan))
        {
            var span = value is TimeSpan t ? t : TimeSpan.Parse((string)value, invariant);
            return (attribute?.Format ?? DurationFormat.Duration) switch
            {
                DurationFormat.Seconds => span.TotalSeconds.ToString("#,0.###", invariant),
                DurationFormat.Milliseconds => span.TotalMilliseconds.ToString("#,0.###", invariant),
                _ => Duration.Format(span),
            };
        }

        if (value is string text && (target == typeof(int) || target == typeof(long)) && long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var whole))
        {
            value = whole;
        }

        return value switch
        {
            int or long => Convert.ToInt64(value, invariant).ToString("#,0", invariant),
            double number => number.ToString("#,0.###", invariant),
            _ => Convert.ToString(value, invariant) ?? string.Empty,
        };
    }

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
