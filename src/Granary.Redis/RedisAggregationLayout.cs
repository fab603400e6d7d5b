using System.Text;
using Granary.Online;
using StackExchange.Redis;

namespace Granary.Redis;

/// <summary>
/// Where aggregation states are in Redis (docs/online-redis.md): one hash per project, aggregation
/// view and entity key, <c>{project}:_agg:{view}:{canonical key}</c>, with the state's bytes in
/// field <c>s</c> and a random version in field <c>v</c> that every write changes, so that a write
/// can check in one step that nobody wrote since its read.
/// </summary>
internal static class RedisAggregationLayout
{
    /// <summary>The field of the state's bytes.</summary>
    public static readonly RedisValue StateField = "s";

    /// <summary>The field of the version, 8 random bytes written with every state.</summary>
    public static readonly RedisValue VersionField = "v";

    private const string Marker = "_agg";

    /// <summary>
    /// The hash of one entity's state. It never equals an entity's feature hash
    /// (<c>{project}:{canonical key}</c>): that would need a join key name holding <c>:</c>, which
    /// <see cref="Check"/> refuses; nor another view's, as view names hold no <c>:</c>.
    /// </summary>
    public static RedisKey StateKey(string project, string view, EntityKey key) => $"{project}:{Marker}:{view}:{key.Canonical}";

    /// <summary>A SCAN pattern matching every state key of one view, glob characters in the names escaped.</summary>
    public static RedisValue ViewPattern(string project, string view) =>
        new StringBuilder().Append(Escape(project)).Append(':').Append(Marker).Append(':').Append(Escape(view)).Append(":*").ToString();

    /// <summary>Refuses names that would make state keys ambiguous; the names of a valid repo always pass.</summary>
    public static void Check(string project, string view, IReadOnlyList<EntityKey> keys)
    {
        RedisLayout.Check(project);
        if (string.IsNullOrEmpty(view) || view.Contains(':', StringComparison.Ordinal))
        {
            throw new GranaryException($"aggregation view name '{view}' cannot name Redis keys: it is empty or holds ':'");
        }

        foreach (var key in keys)
        {
            foreach (var name in key.Names)
            {
                if (name.Contains(':', StringComparison.Ordinal))
                {
                    throw new GranaryException($"join key name '{name}' cannot name Redis keys of aggregation states: it holds ':'");
                }
            }
        }
    }

    private static string Escape(string name)
    {
        var escaped = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
