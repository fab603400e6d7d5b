using Granary.Datasets;
using Granary.Definitions;

namespace Granary.Registry;

/// <summary>
/// The contract of a registry: the applied definitions of each project, a version that increases
/// with each apply, and the materialization intervals. Applies are atomic and never lose an update:
/// an apply based on a stale version fails with <see cref="RegistryConflictException"/>.
/// </summary>
public abstract class FeatureRegistry : IAsyncDisposable
{
    /// <summary>The project's current state, or null when it was never applied.</summary>
    public abstract Task<RegistrySnapshot?> GetAsync(string project, CancellationToken cancellationToken = default);

    /// <summary>The project's version, 0 when never applied; cheap enough to poll.</summary>
    public virtual async Task<long> GetVersionAsync(string project, CancellationToken cancellationToken = default) =>
        (await GetAsync(project, cancellationToken).ConfigureAwait(false))?.Version ?? 0;

    /// <summary>
    /// Replaces the project's definitions if its version is still <paramref name="expectedVersion"/>;
    /// returns the new snapshot. Materialization intervals of views that remain are kept.
    /// </summary>
    public abstract Task<RegistrySnapshot> ApplyAsync(
        string project, DefinitionSet definitions, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Records that a view's rows in an interval were written online.</summary>
    public abstract Task RecordMaterializationAsync(
        string project, string featureView, MaterializationInterval interval, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets the materialization intervals of <paramref name="featureViews"/>, so that the next
    /// incremental materialization starts afresh: used when a view's online storage was rebuilt.
    /// </summary>
    public abstract Task ResetMaterializationsAsync(
        string project, IReadOnlyCollection<string> featureViews, CancellationToken cancellationToken = default);

    /// <summary>Removes the project; returns false when it did not exist.</summary>
    public abstract Task<bool> DeleteProjectAsync(string project, CancellationToken cancellationToken = default);

    /// <summary>The projects the registry holds.</summary>
    public abstract Task<IReadOnlyList<string>> ListProjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a saved dataset's manifest in the project. Datasets outlive applies and go with the
    /// project (<see cref="DeleteProjectAsync"/>).
    /// </summary>
    /// <exception cref="GranaryException">The project is not in the registry, or a dataset of that name exists.</exception>
    public abstract Task SaveDatasetAsync(string project, SavedDataset dataset, CancellationToken cancellationToken = default);

    /// <summary>The project's dataset named <paramref name="name"/>, or null.</summary>
    public abstract Task<SavedDataset?> GetDatasetAsync(string project, string name, CancellationToken cancellationToken = default);

    /// <summary>The project's datasets, by name in ordinal order.</summary>
    public abstract Task<IReadOnlyList<SavedDataset>> ListDatasetsAsync(string project, CancellationToken cancellationToken = default);

    /// <summary>Forgets a dataset's manifest (its data file is the caller's); false when there was none.</summary>
    public abstract Task<bool> DeleteDatasetAsync(string project, string name, CancellationToken cancellationToken = default);

    /// <summary>The message of a dataset name that is taken, the same from every registry.</summary>
    protected static GranaryException DatasetExists(string project, string name) =>
        new($"project '{project}' already has a dataset '{name}'; delete it first (granary dataset delete {name}) or choose another name");

    /// <summary>The message of a dataset saved to a project that was never applied.</summary>
    protected static GranaryException ProjectMissing(string project) =>
        new($"project '{project}' is not in the registry; run 'granary apply' first");

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
