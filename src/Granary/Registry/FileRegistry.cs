using System.Text.Json;
using Granary.Datasets;
using Granary.Definitions;
using Granary.Repo;

namespace Granary.Registry;

/// <summary>
/// The registry as one JSON file. Writes go to a temp file that is renamed over the old one, under
/// an exclusive lock file, so readers see whole versions and concurrent applies are serialized.
/// </summary>
public sealed class FileRegistry : FeatureRegistry
{
    /// <summary>The layout version this Granary writes in the file's <c>format</c> key, and the newest it reads.</summary>
    public const int Format = 1;

    private readonly string _path;
    private readonly TimeProvider _time;
    private static readonly SourceKinds CoreKinds = new();
    private readonly SourceKinds? _sourceKinds;

    /// <summary>Creates a registry stored at <paramref name="path"/>; the file is created by the first apply.</summary>
    /// <param name="path">The registry file.</param>
    /// <param name="timeProvider">The clock that stamps applies.</param>
    /// <param name="sourceKinds">The source kinds it stores; the core's when null.</param>
    public FileRegistry(string path, TimeProvider? timeProvider = null, SourceKinds? sourceKinds = null)
    {
        _path = Path.GetFullPath(path);
        _time = timeProvider ?? TimeProvider.System;
        _sourceKinds = sourceKinds;
    }

    /// <inheritdoc/>
    public override async Task<RegistrySnapshot?> GetAsync(string project, CancellationToken cancellationToken = default)
    {
        var document = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return Get(document, project);
    }

    /// <inheritdoc/>
    public override Task<RegistrySnapshot> ApplyAsync(
        string project, DefinitionSet definitions, long expectedVersion, CancellationToken cancellationToken = default) =>
        UpdateAsync(document =>
        {
            var current = Get(document, project);
            var actual = current?.Version ?? 0;
            if (actual != expectedVersion)
            {
                throw new RegistryConflictException(project, expectedVersion, actual);
            }

            var kept = (current?.Materializations ?? new Dictionary<string, IReadOnlyList<MaterializationInterval>>())
                .Where(m => definitions.FindFeatureView(m.Key) is not null || definitions.FindAggregationView(m.Key) is not null)
                .ToDictionary(m => m.Key, m => m.Value);
            var next = new RegistrySnapshot
            {
                Project = project,
                Version = actual + 1,
                UpdatedAt = _time.GetUtcNow(),
                Definitions = definitions with { Locations = new Dictionary<(string Kind, string Name), SourceLocation>() },
                Materializations = kept,
            };
            Set(document, next);
            return next;
        }, cancellationToken);

    /// <inheritdoc/>
    public override Task RecordMaterializationAsync(
        string project, string featureView, MaterializationInterval interval, CancellationToken cancellationToken = default) =>
        UpdateAsync(document =>
        {
            var current = Get(document, project)
                ?? throw new GranaryException($"project '{project}' is not in the registry; run 'granary apply' first");
            var intervals = new Dictionary<string, IReadOnlyList<MaterializationInterval>>(current.Materializations)
            {
                [featureView] = [.. current.Materializations.GetValueOrDefault(featureView) ?? [], interval],
            };
            Set(document, current with { Materializations = intervals });
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public override Task ResetMaterializationsAsync(
        string project, IReadOnlyCollection<string> featureViews, CancellationToken cancellationToken = default) =>
        UpdateAsync(document =>
        {
            if (Get(document, project) is { } current)
            {
                Set(document, current with
                {
                    Materializations = current.Materializations.Where(m => !featureViews.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value),
                });
            }

            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public override Task<bool> DeleteProjectAsync(string project, CancellationToken cancellationToken = default) =>
        UpdateAsync(document =>
        {
            document.Datasets?.Remove(project);
            return document.Projects.Remove(project);
        }, cancellationToken);

    /// <inheritdoc/>
    public override Task SaveDatasetAsync(string project, SavedDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return UpdateAsync(document =>
        {
            if (!document.Projects.ContainsKey(project))
            {
                throw ProjectMissing(project);
            }

            document.Datasets ??= new(StringComparer.Ordinal);
            if (!document.Datasets.TryGetValue(project, out var datasets))
            {
                document.Datasets[project] = datasets = new(StringComparer.Ordinal);
            }

            if (!datasets.TryAdd(dataset.Name, JsonSerializer.SerializeToElement(dataset, RegistryJson.Options)))
            {
                throw DatasetExists(project, dataset.Name);
            }

            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task<SavedDataset?> GetDatasetAsync(string project, string name, CancellationToken cancellationToken = default)
    {
        var document = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return document.Datasets?.GetValueOrDefault(project)?.TryGetValue(name, out var json) == true ? ReadDataset(project, name, json) : null;
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<SavedDataset>> ListDatasetsAsync(string project, CancellationToken cancellationToken = default)
    {
        var document = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return (document.Datasets?.GetValueOrDefault(project) ?? [])
            .OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => ReadDataset(project, d.Key, d.Value)).ToArray();
    }

    /// <inheritdoc/>
    public override Task<bool> DeleteDatasetAsync(string project, string name, CancellationToken cancellationToken = default) =>
        UpdateAsync(document =>
        {
            var datasets = document.Datasets?.GetValueOrDefault(project);
            var removed = datasets?.Remove(name) == true;
            if (datasets is { Count: 0 })
            {
                document.Datasets!.Remove(project);
            }

            return removed;
        }, cancellationToken);

    private SavedDataset ReadDataset(string project, string name, JsonElement json)
    {
        try
        {
            return RegistryJson.Deserialize<SavedDataset>(json.GetRawText());
        }
        catch (JsonException e)
        {
            throw new GranaryException($"{_path}: dataset '{name}' of project '{project}' cannot be read ({e.Message})", e);
        }
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<string>> ListProjectsAsync(CancellationToken cancellationToken = default)
    {
        var document = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return document.Projects.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// One project of the document, read only when asked for: a project whose sources come from a
    /// backend this host lacks does not stop the others from being read, and is written back as it was.
    /// </summary>
    private RegistrySnapshot? Get(RegistryDocument document, string project)
    {
        if (!document.Projects.TryGetValue(project, out var json))
        {
            return null;
        }

        try
        {
            return RegistryJson.Deserialize<RegistrySnapshot>(json.GetRawText(), _sourceKinds);
        }
        catch (JsonException e)
        {
            throw new GranaryException($"{_path}: project '{project}' cannot be read ({e.Message})", e);
        }
    }

    private void Set(RegistryDocument document, RegistrySnapshot snapshot) =>
        document.Projects[snapshot.Project] = JsonSerializer.SerializeToElement(snapshot, RegistryJson.OptionsFor(_sourceKinds ?? CoreKinds));

    private async Task<RegistryDocument> ReadAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(_path))
        {
            throw new GranaryException($"{_path}: the registry path is a folder; point registry.path at a file (it is created by the first apply)");
        }

        if (!File.Exists(_path))
        {
            return new RegistryDocument();
        }

        var json = await File.ReadAllTextAsync(_path, cancellationToken).ConfigureAwait(false);
        RegistryDocument document;
        try
        {
            document = RegistryJson.Deserialize<RegistryDocument>(json);
        }
        catch (JsonException e)
        {
            throw new GranaryException($"{_path}: the registry file is not a Granary registry ({e.Message})", e);
        }

        return document.Format switch
        {
            Format => document,
            > Format => throw new GranaryException(
                $"{_path}: the registry file has format {document.Format}, written by a newer Granary; this one reads format {Format} (upgrade Granary)"),
            _ => throw new GranaryException($"{_path}: the registry file has format {document.Format}, which no Granary wrote; expected {Format}"),
        };
    }

    private async Task<T> UpdateAsync<T>(Func<RegistryDocument, T> change, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await using var lockFile = await FileLock.AcquireAsync(_path + ".lock", "the registry", FileLock.DefaultTimeout, _time, cancellationToken).ConfigureAwait(false);
        var document = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var result = change(document);
        if (document.Datasets is { Count: 0 })
        {
            document.Datasets = null;
        }

        var temp = $"{_path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await File.WriteAllTextAsync(temp, RegistryJson.Serialize(document), cancellationToken).ConfigureAwait(false);
            File.Move(temp, _path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        return result;
    }

    internal sealed class RegistryDocument
    {
        public int Format { get; set; } = FileRegistry.Format;

        /// <summary>Each project's snapshot as written, parsed only when that project is read.</summary>
        public Dictionary<string, JsonElement> Projects { get; set; } = new(StringComparer.Ordinal);

        /// <summary>
        /// Each project's saved datasets by name; null (and not written) when there are none, so that a
        /// registry without datasets reads and writes as before them. A Granary older than datasets
        /// reads such a file and drops the datasets when it writes it.
        /// </summary>
        public Dictionary<string, Dictionary<string, JsonElement>>? Datasets { get; set; }
    }
}
