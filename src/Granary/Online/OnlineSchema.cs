using Granary.Definitions;

namespace Granary.Online;

/// <summary>
/// What a feature view's online rows depend on, stated once for every online store and for the
/// apply planner.
/// </summary>
/// <remarks>
/// <para>
/// The bytes of a stored row depend on the view's features, each one's name and type in schema
/// order, and on nothing else. Every store derives its schema fingerprint from
/// <see cref="Entries"/> and only from it (SQLite in the table name, Redis in the project's
/// <c>_views</c> hash, PostgreSQL in each row's <c>schema_fp</c>), each in the encoding it has
/// always stored, so that a changed feature list makes old rows unreadable in every store alike
/// and an upgrade finds the rows it wrote before.
/// </para>
/// <para>
/// What the rows mean depends also on the view's entities (the keys rows are stored under) and
/// its source (where their values came from). Stores do not fingerprint these;
/// <see cref="RowsChanged"/> adds them for the apply planner, which empties a view's storage when
/// any of them changes.
/// </para>
/// </remarks>
public static class OnlineSchema
{
    /// <summary>
    /// Each feature of <paramref name="view"/> as its name, <paramref name="separator"/> and its dtype
    /// (<c>trips:int64</c> for <c>":"</c>), in schema order: what a store's fingerprint is computed from.
    /// </summary>
    public static IEnumerable<string> Entries(FeatureView view, string separator)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(separator);
        return Features(view).Select(f => f.Name + separator + f.Dtype);
    }

    /// <summary>
    /// Whether rows stored for <paramref name="old"/> decode as rows of <paramref name="now"/>:
    /// the same features with the same types in the same order.
    /// </summary>
    public static bool SameFeatures(FeatureView old, FeatureView now)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(now);
        return Features(old).SequenceEqual(Features(now));
    }

    /// <summary>
    /// Whether rows stored for <paramref name="old"/> must not be served as rows of
    /// <paramref name="now"/>: their features, their entities (so their keys) or their source differ.
    /// </summary>
    public static bool RowsChanged(FeatureView old, FeatureView now) =>
        !SameFeatures(old, now) || old.Source != now.Source || !old.Entities.SequenceEqual(now.Entities);

    /// <summary>The one definition of what the stored bytes depend on.</summary>
    private static IEnumerable<(string Name, string Dtype)> Features(FeatureView view) =>
        view.Schema.Select(f => (f.Name, f.Dtype.ToString()));
}
