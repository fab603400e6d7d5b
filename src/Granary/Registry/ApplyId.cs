namespace Granary.Registry;

/// <summary>
/// Which apply a snapshot comes from: its version and update time together. A project torn down
/// and applied again restarts at version 1, which a version check alone would take for the
/// version already served. Caches of work derived from definitions are keyed the same way.
/// </summary>
/// <param name="Version">The snapshot's version.</param>
/// <param name="UpdatedAt">When that version was applied.</param>
internal readonly record struct ApplyId(long Version, DateTimeOffset UpdatedAt)
{
    /// <summary>The apply <paramref name="snapshot"/> comes from.</summary>
    public static ApplyId Of(RegistrySnapshot snapshot) => new(snapshot.Version, snapshot.UpdatedAt);
}
