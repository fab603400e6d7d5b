using System.Security.Cryptography;
using System.Text;
using Granary.Definitions;
using Granary.Online;
using StackExchange.Redis;

namespace Granary.Redis;

/// <summary>
/// Where things are in Redis (docs/online-redis.md draws it): one hash per project and entity key,
/// <c>{project}:{canonical key}</c>, holding one field per view, <c>{view}#{schema hash}</c>, whose
/// value is the view's row: its event time (<see cref="EventTimeBytes"/>, little-endian Unix microseconds)
/// then its values (<see cref="FeatureValueCodec.EncodeRow"/>); plus <c>{project}:_views</c>, each view's schema
/// as last applied, and <c>{project}:_layout</c>, the layout version marker.
/// </summary>
/// <remarks>
/// Layout 1 (release 0.1) kept a field <c>{view}:{feature}</c> per feature and <c>_ts:{view}</c>
/// per view. Those fields are read until a write of the view rewrites the key (<see cref="FeatureField"/>,
/// <see cref="TimestampField"/>); <see cref="RedisLayoutMarker"/> says whether a project may still hold them.
/// </remarks>
internal static class RedisLayout
{
    /// <summary>The layout this release writes: a blob per view.</summary>
    public const int Version = 2;

    /// <summary>The prefix of a view's event time field in layout 1.</summary>
    public const string TimestampPrefix = "_ts:";

    /// <summary>Bytes of the event time in front of a row's values.</summary>
    public const int EventTimeBytes = 8;

    /// <summary>Hex digits of the schema hash in a row's field name (6 bytes, as SQLite's table names).</summary>
    private const int SchemaHashBytes = 6;

    /// <summary>
    /// The hash of an entity. The project comes first and ends at the first <c>:</c>, so projects
    /// never share keys; the canonical key names its join keys, so entities never do either.
    /// </summary>
    public static RedisKey EntityKey(string project, EntityKey key) => project + ":" + key.Canonical;

    /// <summary>
    /// Where the project's applied schemas are; never an entity's key, because a canonical key always holds <c>=</c>.
    /// </summary>
    public static RedisKey ViewsKey(string project) => project + ":_views";

    /// <summary>The project's layout version marker (<see cref="RedisLayoutMarker"/>); never an entity's key, as it holds no <c>=</c>.</summary>
    public static RedisKey LayoutKey(string project) => project + ":_layout";

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

    /// <summary>
    /// The field of a view's row: the view's name, <c>#</c> and 12 hex digits hashing its schema. A view
    /// whose features change gets another field, so a row is never decoded under a schema it was not
    /// written with. It never equals a layout 1 field (those hold <c>:</c>, view names do not), nor another
    /// view's (the hash has a fixed length, so the name before it is fixed too).
    /// </summary>
    public static RedisValue RowField(FeatureView view) => RowField(view.Name, Fingerprint(view));

    /// <summary>The field of a view's row written under the schema <paramref name="fingerprint"/> (<see cref="Fingerprint"/>'s text).</summary>
    public static RedisValue RowField(string view, string fingerprint)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint));
        return view + "#" + Convert.ToHexStringLower(hash, 0, SchemaHashBytes);
    }

    /// <summary>A feature's field in layout 1.</summary>
    public static RedisValue FeatureField(string view, string feature) => view + ":" + feature;

    /// <summary>A view's event time field in layout 1: decimal Unix microseconds.</summary>
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
