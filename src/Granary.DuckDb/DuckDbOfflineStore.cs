using System.Data.Common;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using DuckDB.NET.Data;
using Granary.Definitions;
using Granary.DuckDb.Diagnostics;
using Granary.Offline;
using Granary.Repo;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Granary.DuckDb.DuckDbSql;

namespace Granary.DuckDb;

/// <summary>
/// The embedded offline store: Parquet and CSV files queried by an in-process DuckDB. Point-in-time
/// joins run inside DuckDB as ASOF joins and stream out; source tables never enter .NET memory whole.
/// </summary>
public sealed partial class DuckDbOfflineStore : OfflineStore
{
    private readonly DuckDbOfflineStoreOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the store; no connection is held between calls.</summary>
    /// <param name="options">The store's settings.</param>
    /// <param name="logger">Where the store logs; nowhere when null.</param>
    public DuckDbOfflineStore(DuckDbOfflineStoreOptions options, ILogger<DuckDbOfflineStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Repo.ConfigBinder.Validate(options, "offline_store (duckdb)");

        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        Log.Opened(_logger, options.RepoPath, options.MemoryLimit, options.Threads);
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<SourceColumn>> DescribeSourceAsync(DataSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await DescribeAsync(connection, $"SELECT * FROM {Relation(source)}", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<RetrievalResult> GetHistoricalFeaturesAsync(HistoricalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasSources && request.Entities is AllEntitiesAsOf)
        {
            // Without views there are no sources to take the keys from; entity rows given otherwise
            // pass through (on-demand features that read only request fields).
            throw new GranaryException("--all-entities needs at least one feature view or aggregation view to take the entity keys from");
        }

        Log.JoinStarted(_logger, request.Views.Count, request.Entities.GetType().Name);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var query = new PointInTimeQuery(request, Relation);
            if (request.Entities is EntityFiles files)
            {
                // Read in place, numbered as they come: no copy of the rows.
                await ViewEntityFilesAsync(connection, request, files, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (request.Entities is EntityFile file)
                {
                    await LoadEntityFileAsync(connection, request, file.Path, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await ExecuteAsync(connection, query.CreateEntityTable(), cancellationToken, EntityParameters(request.Entities)).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, PointInTimeQuery.NumberEntityRows(), cancellationToken).ConfigureAwait(false);
            }

            var entityColumns = await DescribeAsync(connection, PointInTimeQuery.EntityColumns(), cancellationToken).ConfigureAwait(false);
            var sql = query.Select(entityColumns);
            return new DuckDbRetrievalResult(connection, sql, query.OutputColumns(entityColumns), _options.BatchSize);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Opens an in-process database with the store's settings: fails when the native DuckDB library cannot load.</remarks>
    public override async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<RecordBatch> PullLatestAsync(
        ViewRequest view, DateTimeOffset start, DateTimeOffset end, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = PointInTimeQuery.PullLatest(view, Relation(view.Source));
        command.Parameters.Add(new DuckDBParameter("start", start.UtcDateTime));
        command.Parameters.Add(new DuckDBParameter("end", end.UtcDateTime));
        command.UseStreamingMode = true;
        await using var reader = await ExecuteReaderAsync(command, cancellationToken).ConfigureAwait(false);
        await foreach (var batch in ArrowBatches.ReadAsync(reader, _options.BatchSize, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    /// <inheritdoc/>
    /// <remarks>A scan of the key and time columns only, which Parquet reads without the features.</remarks>
    public override async Task<long?> CountLatestAsync(
        ViewRequest view, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = PointInTimeQuery.CountLatest(view, Relation(view.Source));
        command.Parameters.Add(new DuckDBParameter("start", start.UtcDateTime));
        command.Parameters.Add(new DuckDBParameter("end", end.UtcDateTime));
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (DuckDBException e)
        {
            throw Translate(e);
        }
    }

    internal static async Task<DbDataReader> ExecuteReaderAsync(DuckDBCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DuckDBException e)
        {
            throw Translate(e);
        }
    }

    /// <summary>DuckDB's messages name the column and value; they are the user's to read, without the stack.</summary>
    internal static GranaryException Translate(DuckDBException e) =>
        new($"offline store (DuckDB): {e.Message.Split('\n')[0]}", e);

    private static (string Name, object Value)[] EntityParameters(EntityInput input) => input switch
    {
        AllEntitiesAsOf all => [("as_of", all.AsOf.UtcDateTime)],
        _ => [],
    };

    private async Task<DuckDBConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var temp = _options.TempDirectory ?? Path.Combine(Path.GetTempPath(), "granary-duckdb");
            var settings = $"SET TimeZone = 'UTC'; SET memory_limit = {Literal(_options.MemoryLimit)}; SET temp_directory = {Literal(temp)};";
            if (_options.Threads > 0)
            {
                settings += $" SET threads = {_options.Threads};";
            }

            await ExecuteAsync(connection, settings, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(name, value));
        }

        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DuckDBException e)
        {
            throw Translate(e);
        }
    }

    private static async Task<IReadOnlyList<SourceColumn>> DescribeAsync(DuckDBConnection connection, string select, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "DESCRIBE " + select;
        await using var reader = await ExecuteReaderAsync(command, cancellationToken).ConfigureAwait(false);
        var columns = new List<SourceColumn>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var name = reader.GetString(0);
            var nativeType = reader.GetString(1);
            columns.Add(new SourceColumn(name, ToDataType(nativeType, out var isTimestamp), isTimestamp, nativeType));
        }

        return columns;
    }

    /// <summary>The table function that reads a source, after checking that its files exist inside the repo.</summary>
    private string Relation(DataSource source)
    {
        if (source is not FileSource file)
        {
            throw new GranaryException($"source '{source.Name}' is a {source.Kind}; the DuckDB offline store reads file sources only");
        }

        var what = $"file_source '{file.Name}' path";
        var path = RepoPaths.Resolve(_options.RepoPath, file.Path, what);
        var extension = Path.GetExtension(path).ToUpperInvariant();
        if (extension is not (".PARQUET" or ".CSV"))
        {
            throw new GranaryException($"{what}: '{file.Path}' must end in .parquet or .csv");
        }

        if (!AnyFileMatches(file.Path, what))
        {
            throw new GranaryException($"{what}: '{file.Path}' matches no file");
        }

        return extension == ".PARQUET"
            ? $"read_parquet({Literal(path)}, union_by_name = true)"
            : $"read_csv({Literal(path)}, header = true, auto_detect = true, union_by_name = true)";
    }

    /// <summary>Whether the path or glob matches a file; every file it matches must really be inside the repo (symlinks followed).</summary>
    private bool AnyFileMatches(string pattern, string what)
    {
        if (pattern.IndexOfAny(['*', '?', '[']) < 0)
        {
            return File.Exists(Path.Combine(_options.RepoPath, pattern));
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(pattern);
        var any = false;
        foreach (var match in matcher.GetResultsInFullPath(_options.RepoPath))
        {
            RepoPaths.CheckInside(_options.RepoPath, match, $"{what}: '{Path.GetRelativePath(_options.RepoPath, match)}'");
            any = true;
        }

        return any;
    }
}
