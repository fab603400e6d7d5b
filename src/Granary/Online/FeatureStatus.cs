namespace Granary.Online;

/// <summary>What an online read found for one feature of one entity row; the names match Feast's.</summary>
public enum FeatureStatus
{
    /// <summary>A value was found.</summary>
    Present,

    /// <summary>A row was found, but its value for this feature is null.</summary>
    NullValue,

    /// <summary>No row was found for the entity key.</summary>
    NotFound,

    /// <summary>
    /// The row is older than the view's ttl at read time; its value is returned as null, so that
    /// serving sees what training sees for a stale row.
    /// </summary>
    OutsideMaxAge,
}
