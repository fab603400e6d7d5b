namespace Granary.Registry;

/// <summary>Moves projects from one registry (usually a <see cref="FileRegistry"/>) into a <see cref="SqlRegistry"/>.</summary>
public static class RegistryMigration
{
    /// <summary>
    /// Copies every project of <paramref name="source"/> (or only <paramref name="projects"/>) with
    /// its version, update time, definitions and materialization intervals. Projects already in the
    /// target are refused before anything is written. Returns the copied project names.
    /// </summary>
    /// <exception cref="RegistryConflictException">A project already exists in the target.</exception>
    public static async Task<IReadOnlyList<string>> MigrateAsync(
        FeatureRegistry source, SqlRegistry target, IReadOnlyList<string>? projects = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var names = projects ?? await source.ListProjectsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var name in names)
        {
            if (await target.GetVersionAsync(name, cancellationToken).ConfigureAwait(false) is var version and > 0)
            {
                throw new RegistryConflictException(
                    $"project '{name}' is already in the target registry (version {version}); delete it there first or migrate other projects");
            }
        }

        foreach (var name in names)
        {
            var snapshot = await source.GetAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw new GranaryException($"project '{name}' is not in the source registry");
            await target.ImportAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }

        return names;
    }
}
