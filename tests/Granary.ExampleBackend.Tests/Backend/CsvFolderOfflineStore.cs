using System.Runtime.CompilerServices;
using Apache.Arrow;
using Granary.Definitions;
using Granary.Offline;
using Granary.Online;
using Granary.Repo;

namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>
/// The example offline store: sources are folders of CSV files (<see cref="CsvFolderSource"/>), read
/// whole for each request, and the point-in-time join runs in memory (<see cref="ViewHistory"/>).
/// Entity rows come from a file, read by the core's <see cref="EntityFileReader"/> like every other
/// store's, or from the sources' keys at one time; the store runs no SQL.
/// </summary>
public sealed partial class CsvFolderOfflineStore : OfflineStore
{
    private readonly CsvFolderOfflineStoreOptions _options;

    /// <summary>Creates the store over the repo's folders.</summary>
    /// <exception cref="GranaryException">The options are invalid.</exception>
    public CsvFolderOfflineStore(CsvFolderOfflineStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ConfigBinder.Validate(options, "offline_store (csv_folder)");
        _options = options;
    }

    /// <inheritdoc/>
    /// <remarks>Reads every file of the folder, so that apply reports a wrong header or value before it registers anything.</remarks>
    public override async Task<IReadOnlyList<SourceColumn>> DescribeSourceAsync(DataSource source, CancellationToken cancellationToken = default)
    {
        var table = await CsvFolderTable.ReadAsync(_options.RepoPath, Csv(source), cancellationToken).ConfigureAwait(false);
        return table.Source.Schema
            .Select(c => new SourceColumn(c.Name, c.Dtype, c.Dtype.Scalar == ScalarType.UnixTimestamp, c.Dtype.ToString()))
            .ToArray();
    }

    /// <inheritdoc/>
    public override async Task<RetrievalResult> GetHistoricalFeaturesAsync(HistoricalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Entities is EntitySql)
        {
            throw new GranaryException("the csv_folder offline store runs no SQL; give the entity rows as a .csv or .parquet file, or ask for all entities as of a time");
        }

        if (request.Aggregations.Count > 0)
        {
            throw new GranaryException($"the csv_folder offline store does not compute aggregation views in training data (asked for {string.Join(", ", request.Aggregations.Select(a => a.View.Name))}); use the duckdb or postgres offline store");
        }

        if (request.Views.Count == 0 && request.Entities is AllEntitiesAsOf)
        {
            throw new GranaryException("--all-entities needs at least one feature view to take the entity keys from");
        }

        var histories = await HistoriesAsync(request.Views, cancellationToken).ConfigureAwait(false);
        var outputs = request.Views.SelectMany(v => v.OutputNames);
        RecordBatch Join(RecordBatch entities) => JoinBatch(entities, request.TimestampColumn, histories);
        switch (request.Entities)
        {
            case EntityFile file:
                var reader = await EntityFileReader.OpenAsync(file.Path, cancellationToken).ConfigureAwait(false);
                try
                {
                    EntityRowsValidator.Validate(request, reader);
                }
                catch
                {
                    await reader.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                return new CsvFolderRetrievalResult(
                    reader.Schema.FieldsList.Select(f => f.Name).Concat(outputs).ToArray(), reader.ReadAsync(_options.BatchSize), Join, reader);
            case AllEntitiesAsOf all:
                var keys = EntityRowsValidator.CommonJoinKeys(request);
                EntityRowsValidator.Validate(
                    request,
                    [.. keys.Select(k => new SourceColumn(k.Name, k.Type, false, k.Type.ToString())), new SourceColumn(request.TimestampColumn, new DataType(ScalarType.UnixTimestamp), true, "unix_timestamp")]);
                var batches = AllEntities(keys, histories, all.AsOf, request.TimestampColumn);
                return new CsvFolderRetrievalResult(
                    keys.Select(k => k.Name).Append(request.TimestampColumn).Concat(outputs).ToArray(), batches.ToAsyncEnumerable(), Join, null);
            default:
                throw new GranaryException($"the csv_folder offline store cannot read entity rows from {request.Entities.GetType().Name}");
        }
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<RecordBatch> PullLatestAsync(
        ViewRequest view, DateTimeOffset start, DateTimeOffset end, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        var history = (await HistoriesAsync([view], cancellationToken).ConfigureAwait(false))[0];
        foreach (var chunk in history.LatestIn(start, end).Chunk(_options.BatchSize))
        {
            var columns = view.JoinKeys.Select((k, i) => (k.Name, FeatureValueCodec.ClrTypeOf(k.Type), (IReadOnlyList<object?>)chunk.Select(c => c.Key.Values[i]).ToArray()))
                .Append((EventTimestampColumn, typeof(DateTimeOffset), chunk.Select(c => (object?)c.Row.EventTime).ToArray()))
                .Concat(view.Features.Select((f, j) => (f.OutputName, FeatureValueCodec.ClrTypeOf(f.Field.Dtype), (IReadOnlyList<object?>)chunk.Select(c => c.Row.Values[j]).ToArray())))
                .ToArray();
            yield return ArrowBatches.FromColumns(columns, chunk.Length);
        }
    }

    /// <inheritdoc/>
    public override async Task<long?> CountLatestAsync(
        ViewRequest view, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        var history = (await HistoriesAsync([view], cancellationToken).ConfigureAwait(false))[0];
        return history.LatestIn(start, end).LongCount();
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Adds a file to the source's folder through the core's result-file writer: it appears whole or not
    /// at all, so a concurrent read sees all of the pushed rows or none.
    /// </remarks>
    public override async Task WriteAsync(DataSource source, RecordBatch rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var csv = Csv(source);
        var folder = CsvFolderTable.FolderOf(_options.RepoPath, csv);
        if (!Directory.Exists(folder))
        {
            throw new GranaryException($"{CsvFolderSource.KindName} '{csv.Name}': folder '{csv.Folder}' does not exist");
        }

        var granaryNames = csv.Schema.ToDictionary(c => csv.FieldMapping.GetValueOrDefault(c.Name, c.Name), c => c, StringComparer.Ordinal);
        if (rows.Schema.FieldsList.FirstOrDefault(f => !granaryNames.ContainsKey(f.Name)) is { } unknown)
        {
            throw new GranaryException($"{CsvFolderSource.KindName} '{csv.Name}' has no column for '{unknown.Name}'; its columns are {string.Join(", ", granaryNames.Keys)}");
        }

        var columns = granaryNames.Select(c =>
        {
            var index = rows.Schema.GetFieldIndex(c.Key);
            var values = Enumerable.Range(0, rows.Length)
                .Select(r => index < 0 ? null : FeatureValues.Convert(ArrowBatches.GetValue(rows.Column(index), r), c.Value.Dtype, c.Key))
                .ToArray();
            return (c.Value.Name, FeatureValueCodec.ClrTypeOf(c.Value.Dtype), (IReadOnlyList<object?>)values);
        }).ToArray();
        var batch = ArrowBatches.FromColumns(columns, rows.Length);
        await ArrowFileWriter.WriteAsync(
            Path.Combine(folder, $"push-{Guid.NewGuid():N}.csv"), csv.Schema.Select(c => c.Name).ToArray(), new[] { batch }.ToAsyncEnumerable(),
            new ResultFileOptions { Overwrite = false }, cancellationToken).ConfigureAwait(false);
    }

    private static CsvFolderSource Csv(DataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source as CsvFolderSource
            ?? throw new GranaryException($"the csv_folder offline store reads {CsvFolderSource.KindName} sources; '{source.Name}' is a {source.Kind}");
    }

    /// <summary>Each view's history, reading each source once.</summary>
    private async Task<ViewHistory[]> HistoriesAsync(IReadOnlyList<ViewRequest> views, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<string, CsvFolderTable>(StringComparer.Ordinal);
        foreach (var view in views)
        {
            if (!tables.ContainsKey(view.Source.Name))
            {
                tables[view.Source.Name] = await CsvFolderTable.ReadAsync(_options.RepoPath, Csv(view.Source), cancellationToken).ConfigureAwait(false);
            }
        }

        return views.Select(v => new ViewHistory(v, tables[v.Source.Name])).ToArray();
    }

    /// <summary>The entity rows with, for each view, its features (and the chosen row's event time if asked) appended.</summary>
    private static RecordBatch JoinBatch(RecordBatch entities, string timestampColumn, IReadOnlyList<ViewHistory> histories)
    {
        var n = entities.Length;
        var time = entities.Column(entities.Schema.GetFieldIndex(timestampColumn));
        var columns = new List<(string Name, Type Type, IReadOnlyList<object?> Values)>();
        foreach (var history in histories)
        {
            var view = history.View;
            var names = view.JoinKeys.Select(k => k.Name).ToArray();
            var keyColumns = names.Select(k => entities.Column(entities.Schema.GetFieldIndex(k))).ToArray();
            var chosen = new HistoryRow?[n];
            for (var row = 0; row < n; row++)
            {
                var key = keyColumns.Select(c => ArrowBatches.GetValue(c, row)).ToArray();
                if (ArrowBatches.GetValue(time, row) is DateTimeOffset asOf && key.All(v => v is not null))
                {
                    chosen[row] = history.AsOf(new EntityKey(names, key!), asOf);
                }
            }

            for (var j = 0; j < view.Features.Count; j++)
            {
                var feature = view.Features[j];
                columns.Add((feature.OutputName, FeatureValueCodec.ClrTypeOf(feature.Field.Dtype), chosen.Select(c => c?.Values[j]).ToArray()));
            }

            if (view.EventTimestampOutputName is { } eventTime)
            {
                columns.Add((eventTime, typeof(DateTimeOffset), chosen.Select(c => (object?)c?.EventTime).ToArray()));
            }
        }

        var features = ArrowBatches.FromColumns(columns, n);
        return new RecordBatch(
            new Schema(entities.Schema.FieldsList.Concat(features.Schema.FieldsList), null), entities.Arrays.Concat(features.Arrays), n);
    }

    /// <summary>Every key with a row in any view's source, ordered by the keys, each at <paramref name="asOf"/>: the entity rows of batch scoring.</summary>
    private IEnumerable<RecordBatch> AllEntities(
        IReadOnlyList<JoinKey> keys, IReadOnlyList<ViewHistory> histories, DateTimeOffset asOf, string timestampColumn)
    {
        var names = keys.Select(k => k.Name).ToArray();
        var all = histories
            .SelectMany(h => h.Keys.Select(key => names.Select(name => key.Values[IndexOf(h.View.JoinKeys, name)]).ToArray()))
            .Select(values => new EntityKey(names, values))
            .Distinct()
            .Order(Comparer<EntityKey>.Create(CompareKeys))
            .ToArray();
        foreach (var chunk in all.Chunk(_options.BatchSize))
        {
            yield return ArrowBatches.FromColumns(
                [
                    .. keys.Select((k, i) => (k.Name, FeatureValueCodec.ClrTypeOf(k.Type), (IReadOnlyList<object?>)chunk.Select(c => c.Values[i]).ToArray())),
                    (timestampColumn, typeof(DateTimeOffset), chunk.Select(_ => (object?)asOf).ToArray()),
                ],
                chunk.Length);
        }
    }

    private static int IndexOf(IReadOnlyList<JoinKey> keys, string name)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].Name == name)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"no join key '{name}'");
    }

    private static int CompareKeys(EntityKey a, EntityKey b)
    {
        for (var i = 0; i < a.Values.Count; i++)
        {
            var order = (a.Values[i], b.Values[i]) switch
            {
                (long x, long y) => x.CompareTo(y),
                (string x, string y) => string.CompareOrdinal(x, y),
                var (x, y) => string.CompareOrdinal(x.ToString(), y.ToString()),
            };
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }
}
