using System.Text.Json;
using Granary.Datasets;
using Granary.Definitions;
using Granary.Registry;
using Granary.Repo;

namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>
/// The example registry: each project's snapshot as the core's registry JSON (<see cref="RegistryJson"/>)
/// in a <see cref="MemoryDatabase"/>, so sources of every kind the host knows are stored by their
/// discriminator, as the file and SQL registries store them. Applies are serialized by the database.
/// </summary>
public sealed class MemoryRegistry : FeatureRegistry
{
    private const string What = "registry";
    private readonly MemoryDatabase _database;
    private readonly TimeProvider _time;
    private readonly SourceKinds _sourceKinds;

    /// <summary>Creates the registry on the database its options name.</summary>
    /// <param name="options">Which database.</param>
    /// <param name="timeProvider">The clock that stamps applies; the system clock when null.</param>
    /// <param name="sourceKinds">The source kinds it stores; the core's when null.</param>
    /// <exception cref="GranaryException">The options are invalid.</exception>
    public MemoryRegistry(MemoryRegistryOptions options, TimeProvider? timeProvider = null, SourceKinds? sourceKinds = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ConfigBinder.Validate(options, "registry (memory)");
        _database = MemoryDatabase.Open(options.Database);
        _time = timeProvider ?? TimeProvider.System;
        _sourceKinds = sourceKinds ?? new SourceKinds();
    }

    /// <inheritdoc/>
    public override Task<RegistrySnapshot?> GetAsync(string project, CancellationToken cancellationToken = default) =>
        Locked(() => Read(project));

    /// <inheritdoc/>
    public override Task<RegistrySnapshot> ApplyAsync(
        string project, DefinitionSet definitions, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        return Locked(() =>
        {
            var current = Read(project);
            var actual = current?.Version ?? 0;
            if (actual != expectedVersion)
            {
                throw new RegistryConflictException(project, expectedVersion, actual);
            }

            return Write(new RegistrySnapshot
            {
                Project = project,
                Version = actual + 1,
                UpdatedAt = _time.GetUtcNow(),
                Definitions = definitions,
                Materializations = (current?.Materializations ?? new Dictionary<string, IReadOnlyList<MaterializationInterval>>())
                    .Where(m => definitions.FindFeatureView(m.Key) is not null || definitions.FindAggregationView(m.Key) is not null)
                    .ToDictionary(m => m.Key, m => m.Value),
            });
        });
    }

    /// <inheritdoc/>
    public override Task RecordMaterializationAsync(
        string project, string featureView, MaterializationInterval interval, CancellationToken cancellationToken = default) =>
        Locked(() =>
        {
            var current = Read(project) ?? throw new GranaryException($"project '{project}' is not in the registry; run 'granary apply' first");
            return Write(current with
            {
                Materializations = new Dictionary<string, IReadOnlyList<MaterializationInterval>>(current.Materializations)
                {
                    [featureView] = [.. current.Materializations.GetValueOrDefault(featureView) ?? [], interval],
                },
            });
        });

    /// <inheritdoc/>
    public override Task ResetMaterializationsAsync(
        string project, IReadOnlyCollection<string> featureViews, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(featureViews);
        return Locked(() => Read(project) is { } current
            ? Write(current with { Materializations = current.Materializations.Where(m => !featureViews.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value) })
            : null);
    }

    /// <inheritdoc/>
    public override Task<bool> DeleteProjectAsync(string project, CancellationToken cancellationToken = default) =>
        Locked(() => _database.DatasetDocuments.Remove(project) | _database.RegistryDocuments.Remove(project));

    /// <inheritdoc/>
    public override Task SaveDatasetAsync(string project, SavedDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Locked(() =>
        {
            if (!_database.RegistryDocuments.ContainsKey(project))
            {
                throw ProjectMissing(project);
            }

            if (!_database.DatasetDocuments.TryGetValue(project, out var datasets))
            {
                _database.DatasetDocuments[project] = datasets = new(StringComparer.Ordinal);
            }

            return datasets.TryAdd(dataset.Name, RegistryJson.Serialize(dataset)) ? true : throw DatasetExists(project, dataset.Name);
        });
    }

    /// <inheritdoc/>
    public override Task<SavedDataset?> GetDatasetAsync(string project, string name, CancellationToken cancellationToken = default) =>
        Locked(() => _database.DatasetDocuments.GetValueOrDefault(project)?.GetValueOrDefault(name) is { } json ? RegistryJson.Deserialize<SavedDataset>(json) : null);

    /// <inheritdoc/>
    public override Task<IReadOnlyList<SavedDataset>> ListDatasetsAsync(string project, CancellationToken cancellationToken = default) =>
        Locked<IReadOnlyList<SavedDataset>>(() => (_database.DatasetDocuments.GetValueOrDefault(project) ?? [])
            .Select(d => RegistryJson.Deserialize<SavedDataset>(d.Value)).ToArray());

    /// <inheritdoc/>
    public override Task<bool> DeleteDatasetAsync(string project, string name, CancellationToken cancellationToken = default) =>
        Locked(() => _database.DatasetDocuments.GetValueOrDefault(project)?.Remove(name) == true);

    /// <inheritdoc/>
    public override Task<IReadOnlyList<string>> ListProjectsAsync(CancellationToken cancellationToken = default) =>
        Locked<IReadOnlyList<string>>(() => _database.RegistryDocuments.Keys.Order(StringComparer.Ordinal).ToArray());

    /// <summary>Runs <paramref name="action"/> alone on the database; a failure is the task's, as for a registry that does I/O.</summary>
    private Task<T> Locked<T>(Func<T> action)
    {
        try
        {
            _database.EnsureRunning(What);
            lock (_database.RegistryGate)
            {
                return Task.FromResult(action());
            }
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    /// <summary>The project as a reader gets it: parsed from the stored JSON, as another process would.</summary>
    private RegistrySnapshot? Read(string project)
    {
        if (!_database.RegistryDocuments.TryGetValue(project, out var json))
        {
            return null;
        }

        try
        {
            return RegistryJson.Deserialize<RegistrySnapshot>(json, _sourceKinds);
        }
        catch (JsonException e)
        {
            throw new GranaryException($"registry in the in-memory database '{_database.Name}': project '{project}' cannot be read ({e.Message})", e);
        }
    }

    private RegistrySnapshot Write(RegistrySnapshot snapshot)
    {
        _database.RegistryDocuments[snapshot.Project] = RegistryJson.Serialize(snapshot, _sourceKinds);
        return Read(snapshot.Project)!;
    }
}
