using System.Text;
using Granary.Definitions;
using Granary.Online;
using StackExchange.Redis;

namespace Granary.Redis;

/// <summary>
/// Where things are in Redis (docs/online-redis.md draws it): one hash per project and entity key,
/// <c>{project}:{canonical key}</c>, holding a field <c>{view}:{feature}</c> per feature and
/// <c>_ts:{view}</c> per view; plus <c>{project}:_views</c>, each view's schema as last applied.
/// </summary>
internal static class RedisLayout
{
    /// <summary>The prefix of a view's event time field.</summary>
    public const string TimestampPrefix = "_ts:";

    /// <summary>
    /// The hash of an entity. The project comes first and ends at the first <c>:</c>, so projects
    /// never share keys; the canonical key names its join keys, so entities never do either.
    /// </summary>
    public static RedisKey EntityKey(string project, EntityKey key) => project + ":" + key.Canonical;

    /// <summary>
    /// Where the project's applied schemas are; never an entity's key, because a canonical key always holds <c>=</c>.
    /// </summary>
    public static RedisKey ViewsKey(string project) => project + ":_views";

    /// <summary>A SCAN pattern matching every key of the project, glob characters in the name escaped.</summary>
    public static RedisValue ProjectPattern(string project)
    {
        var pattern = new StringBuilder(project.Length + 3);
        foreach (var c in project)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }

        return pattern.Append(":*").ToString();
    }

    public static RedisValue FeatureField(string view, string feature) => view + ":" + feature;

    public static RedisValue TimestampField(string view) => TimestampPrefix + view;

    /// <summary>The schema as stored in <see cref="ViewsKey"/>: <see cref="Lines"/> joined by newlines.</summary>
    public static string Fingerprint(FeatureView view) => string.Join('\n', Lines(view));

    /// <summary>The lines of a <see cref="Fingerprint"/>: <see cref="OnlineSchema.Entries"/> as <c>name:dtype</c>, in schema order.</summary>
    public static IEnumerable<string> Lines(FeatureView view) => OnlineSchema.Entries(view, ":");

    /// <summary>The feature a line of a <see cref="Fingerprint"/> names: the text before its last <c>:</c> (dtypes hold none).</summary>
    public static string FeatureOf(string line) => line[..line.LastIndexOf(':')];

    /// <summary>
    /// Refuses names that would make keys or fields ambiguous; project and view names of a valid
    /// repo (letters, digits, underscores) always pass.
    /// </summary>
    public static void Check(string project, FeatureView? view = null)
    {
        if (string.IsNullOrEmpty(project) || project.Contains(':', StringComparison.Ordinal))
        {
            throw new GranaryException($"project name '{project}' cannot be used as a Redis key prefix: it is empty or holds ':'");
        }

        if (view is not null && (view.Name.Contains(':', StringComparison.Ordinal) || view.Name == "_ts"))
        {
            throw new GranaryException($"feature view name '{view.Name}' cannot name Redis hash fields: it holds ':' or is the reserved '_ts'");
        }
    }
}
