using Granary.Definitions;

namespace Granary.Ui.Catalog;

/// <summary>
/// Searches every object's name, description, owner and tags, and every feature's and field's name
/// and description. Each word of the query must occur (case-insensitively) in the name or the text.
/// </summary>
public static class Search
{
    /// <summary>The longest query considered; longer ones are cut.</summary>
    public const int MaxQueryLength = 200;

    /// <summary>The best <paramref name="limit"/> hits for <paramref name="query"/>, best first; none for an empty query.</summary>
    public static IReadOnlyList<SearchHit> Find(RegistryView registry, string? query, int limit)
    {
        ArgumentNullException.ThrowIfNull(registry);
        query = (query ?? string.Empty).Trim();
        if (query.Length > MaxQueryLength)
        {
            query = query[..MaxQueryLength];
        }

        var words = query.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return [];
        }

        var hits = new List<SearchHit>();
        foreach (var kind in UiKind.All)
        {
            foreach (var definition in kind.Select(registry.Definitions))
            {
                var text = string.Join(' ', new[] { definition.Description, definition.Owner }
                    .Concat(definition.Tags.Select(t => $"{t.Key}:{t.Value}")).Where(t => !string.IsNullOrEmpty(t)));
                if (Score(definition.Name, text, query, words) is { } score)
                {
                    hits.Add(new SearchHit(kind, definition, null, definition.Description, score));
                }

                foreach (var field in FieldsOf(definition))
                {
                    if (Score(field.Name, field.Description, query, words) is { } fieldScore)
                    {
                        // Below an object of the same name: the object is the likelier target.
                        hits.Add(new SearchHit(kind, definition, field.Name, field.Description, fieldScore - 5));
                    }
                }
            }
        }

        return hits.OrderByDescending(h => h.Score)
            .ThenBy(h => h.Feature ?? h.Definition.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(h => h.Definition.Name, StringComparer.Ordinal)
            .Take(limit)
            .ToArray();
    }

    /// <summary>The features or fields of an object that has them.</summary>
    public static IReadOnlyList<Field> FieldsOf(Definition definition) => definition switch
    {
        FeatureView v => v.Schema,
        OnDemandFeatureView v => v.Schema,
        RequestSource s => s.Schema,
        AggregationView v => SafeSchema(v),
        _ => [],
    };

    /// <summary>An aggregation view's features; none when its column types are unknown (a registry written before they were filled in).</summary>
    public static IReadOnlyList<Field> SafeSchema(AggregationView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        try
        {
            return view.Schema;
        }
        catch (GranaryException)
        {
            return [];
        }
    }

    private static int? Score(string name, string? text, string query, string[] words)
    {
        if (!words.All(w => name.Contains(w, StringComparison.OrdinalIgnoreCase) || (text?.Contains(w, StringComparison.OrdinalIgnoreCase) ?? false)))
        {
            return null;
        }

        return name.Equals(query, StringComparison.OrdinalIgnoreCase) ? 100
            : name.StartsWith(query, StringComparison.OrdinalIgnoreCase) ? 80
            : words.All(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)) ? 60
            : 30;
    }
}
