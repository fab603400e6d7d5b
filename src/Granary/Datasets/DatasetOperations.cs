using Granary.Offline;
using Granary.Repo;
using Granary.Statistics;

namespace Granary.Datasets;

/// <summary>
/// Saved datasets: training data written to Parquet with a manifest in the registry (create), recomputed
/// and compared with what was recorded (verify), and removed (delete).
/// </summary>
internal static class DatasetOperations
{
    /// <summary>The folder, under the repo, of datasets written without an output path.</summary>
    public const string DefaultFolder = "data/datasets";

    /// <summary>A manifest's path as a file path: relative ones are under the repo.</summary>
    public static string Resolve(RepoConfig config, string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(config.RepoPath, path));

    public static async Task<SavedDataset> CreateAsync(FeatureStore store, DatasetRequest request, CancellationToken cancellationToken)
    {
        if (!Names.IsValid(request.Name))
        {
            throw new GranaryException($"dataset name '{request.Name}' must start with a letter or underscore and hold only letters, digits and underscores");
        }

        if (await store.Registry.GetDatasetAsync(store.Project, request.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new GranaryException($"project '{store.Project}' already has a dataset '{request.Name}'; delete it first (granary dataset delete {request.Name}) or choose another name");
        }

        var path = Path.GetFullPath(request.Output ?? Path.Combine(store.Config.RepoPath, DefaultFolder, request.Name, "data.parquet"));
        if (!path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            throw new GranaryException($"output '{request.Output}' must end in .parquet: saved datasets are Parquet files");
        }

        var snapshot = await store.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var features = ObservedFeature.Resolve(snapshot.Definitions, request.Features, request.FeatureService);
        var references = features.Select(f => $"{f.View.Name}:{f.Field.Name}").ToArray();
        var entities = await DescribeEntitiesAsync(store.Config, request.Entities, request.TimestampColumn, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var (columns, _) = await WriteAsync(store, request.Entities, references, request.TimestampColumn, path, cancellationToken).ConfigureAwait(false);
        try
        {
            var content = await DatasetDigest.OfFileAsync(path, columns, request.TimestampColumn, cancellationToken).ConfigureAwait(false);
            var profile = content.Rows == 0
                ? []
                : await store.Offline.ComputeStatisticsAsync(new StatisticsRequest(
                    new FileRows([path], $"dataset {request.Name}"), features.Select(f => new StatisticsColumn(f.Name, f.Name, f.Field.Dtype)).ToArray()), cancellationToken).ConfigureAwait(false);
            var dataset = new SavedDataset
            {
                Name = request.Name,
                CreatedAt = store.TimeProvider.GetUtcNow(),
                RegistryVersion = snapshot.Version,
                Features = references,
                FeatureService = request.FeatureService,
                Entities = entities,
                Path = InRepo(store.Config, path),
                Columns = columns,
                Rows = content.Rows,
                Sha256 = content.Sha256,
                EventTimeStart = content.TimeRange?.Start,
                EventTimeEnd = content.TimeRange?.End,
                Profile = profile,
            };
            await store.Registry.SaveDatasetAsync(store.Project, dataset, cancellationToken).ConfigureAwait(false);
            return dataset;
        }
        catch
        {
            // A dataset is its file and its manifest: without the manifest the file is not kept.
            File.Delete(path);
            throw;
        }
    }

    public static async Task<DatasetVerification> VerifyAsync(FeatureStore store, string name, CancellationToken cancellationToken)
    {
        var dataset = await store.Registry.GetDatasetAsync(store.Project, name, cancellationToken).ConfigureAwait(false)
            ?? throw new GranaryException($"project '{store.Project}' has no dataset '{name}'; see granary dataset list");
        var input = dataset.Entities.Kind switch
        {
            DatasetEntities.FileKind => EntityInput.FromFile(Resolve(store.Config, dataset.Entities.Path!)),
            DatasetEntities.SqlKind => EntityInput.FromSql(dataset.Entities.Sql!),
            _ => EntityInput.AllAsOf(dataset.Entities.AsOf!.Value),
        };
        bool? entityChanged = null;
        if (input is EntityFile file)
        {
            entityChanged = !File.Exists(file.Path) || await DatasetDigest.OfBytesAsync(file.Path, cancellationToken).ConfigureAwait(false) != dataset.Entities.Sha256;
            if (!File.Exists(file.Path))
            {
                throw new GranaryException($"dataset '{name}': its entity file '{dataset.Entities.Path}' is gone; it cannot be recomputed");
            }
        }

        var stored = Resolve(store.Config, dataset.Path);
        var temp = Path.Combine(Path.GetTempPath(), $"granary-verify-{Guid.NewGuid():N}.parquet");
        try
        {
            var (columns, _) = await WriteAsync(store, input, dataset.Features, dataset.Entities.TimestampColumn, temp, cancellationToken).ConfigureAwait(false);
            var now = await DatasetDigest.OfFileAsync(temp, columns, null, cancellationToken).ConfigureAwait(false);
            bool? intact = null;
            IReadOnlyList<ColumnChange> changes;
            if (File.Exists(stored))
            {
                var recorded = await DatasetDigest.OfFileAsync(stored, dataset.Columns, null, cancellationToken).ConfigureAwait(false);
                intact = recorded.Sha256 == dataset.Sha256;
                changes = await CompareColumnsAsync(stored, dataset.Columns, recorded, temp, columns, now, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                changes = columns.Select(c => new ColumnChange(c, Math.Max(now.Rows, dataset.Rows))).ToArray();
            }

            var matches = now.Rows == dataset.Rows && now.Sha256 == dataset.Sha256;
            return new DatasetVerification(name, matches, dataset.Rows, now.Rows, dataset.Sha256, now.Sha256, intact, entityChanged, matches ? [] : changes);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public static async Task<bool> DeleteAsync(FeatureStore store, string name, CancellationToken cancellationToken)
    {
        var dataset = await store.Registry.GetDatasetAsync(store.Project, name, cancellationToken).ConfigureAwait(false);
        if (dataset is null || !await store.Registry.DeleteDatasetAsync(store.Project, name, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var path = Resolve(store.Config, dataset.Path);
        File.Delete(path);
        var folder = Path.GetDirectoryName(path)!;
        if (Path.GetFullPath(Path.Combine(store.Config.RepoPath, DefaultFolder, name)) == folder && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }

        return true;
    }

    private static async Task<(IReadOnlyList<string> Columns, long Rows)> WriteAsync(
        FeatureStore store, EntityInput entities, IReadOnlyList<string> references, string timestampColumn, string path, CancellationToken cancellationToken)
    {
        await using var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = entities,
            Features = references,
            FullFeatureNames = true,
            TimestampColumn = timestampColumn,
        }, cancellationToken).ConfigureAwait(false);
        var rows = await result.WriteAsync(path, new ResultFileOptions { Protected = ProtectedOf(entities) }, cancellationToken).ConfigureAwait(false);
        return (result.ColumnNames, rows);
    }

    private static IReadOnlyList<ProtectedFile> ProtectedOf(EntityInput entities) =>
        entities is EntityFile file ? [ProtectedFile.Of(file.Path, "the entity input (--entities)")] : [];

    private static async Task<DatasetEntities> DescribeEntitiesAsync(RepoConfig config, EntityInput input, string timestampColumn, CancellationToken cancellationToken) => input switch
    {
        EntityFile file => new DatasetEntities
        {
            Kind = DatasetEntities.FileKind,
            Path = InRepo(config, file.Path),
            Sha256 = File.Exists(file.Path) ? await DatasetDigest.OfBytesAsync(file.Path, cancellationToken).ConfigureAwait(false) : null,
            TimestampColumn = timestampColumn,
        },
        EntitySql sql => new DatasetEntities { Kind = DatasetEntities.SqlKind, Sql = sql.Sql, TimestampColumn = timestampColumn },
        AllEntitiesAsOf all => new DatasetEntities { Kind = DatasetEntities.AllKind, AsOf = all.AsOf, TimestampColumn = timestampColumn },
        _ => throw new NotSupportedException(input.GetType().Name),
    };

    /// <summary>A path as manifests keep it: relative to the repo when inside it, so that the repo can move.</summary>
    private static string InRepo(RepoConfig config, string path)
    {
        var relative = Path.GetRelativePath(config.RepoPath, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative.Replace('\\', '/');
    }

    /// <summary>Per column, the rows that differ between two files of the same rows; every row when the counts differ.</summary>
    private static async Task<IReadOnlyList<ColumnChange>> CompareColumnsAsync(
        string recordedPath, IReadOnlyList<string> recordedColumns, DatasetDigest.Content recorded,
        string nowPath, IReadOnlyList<string> nowColumns, DatasetDigest.Content now, CancellationToken cancellationToken)
    {
        var all = recordedColumns.Union(nowColumns, StringComparer.Ordinal).ToArray();
        if (recorded.Rows != now.Rows || !recordedColumns.SequenceEqual(nowColumns, StringComparer.Ordinal))
        {
            return all.Select(c => new ColumnChange(c, Math.Max(recorded.Rows, now.Rows))).ToArray();
        }

        var changed = all.Where(c => recorded.Columns[c] != now.Columns[c]).ToDictionary(c => c, _ => 0L, StringComparer.Ordinal);
        if (changed.Count > 0)
        {
            await using var left = await EntityFileReader.OpenAsync(recordedPath, cancellationToken).ConfigureAwait(false);
            await using var right = await EntityFileReader.OpenAsync(nowPath, cancellationToken).ConfigureAwait(false);
            await using var a = Rows(left, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using var b = Rows(right, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (await a.MoveNextAsync().ConfigureAwait(false) && await b.MoveNextAsync().ConfigureAwait(false))
            {
                foreach (var column in changed.Keys.ToArray())
                {
                    if (!Equals(Canonical(a.Current[column]), Canonical(b.Current[column])))
                    {
                        changed[column]++;
                    }
                }
            }
        }

        return all.Select(c => new ColumnChange(c, changed.GetValueOrDefault(c))).ToArray();
    }

    private static object? Canonical(object? value) => value switch
    {
        int i => (long)i,
        float f => (double)f,
        byte[] bytes => Convert.ToBase64String(bytes),
        _ => value,
    };

    private static async IAsyncEnumerable<Dictionary<string, object?>> Rows(EntityFileReader reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in reader.ReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            for (var row = 0; row < batch.Length; row++)
            {
                var values = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var c = 0; c < batch.ColumnCount; c++)
                {
                    values[batch.Schema.GetFieldByIndex(c).Name] = ArrowBatches.GetValue(batch.Column(c), row);
                }

                yield return values;
            }
        }
    }
}
