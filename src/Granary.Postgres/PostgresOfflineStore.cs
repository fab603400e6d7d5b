using System.Data;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Granary.Definitions;
using Granary.Offline;
using Microsoft.Extensions.Logging;
using Npgsql;
using static Granary.Postgres.PostgresSql;

namespace Granary.Postgres;

/// <summary>
/// The offline store on PostgreSQL: sources are tables or queries, point-in-time joins run inside
/// PostgreSQL as SQL and stream back. Entity files are loaded into a temp table with binary COPY;
/// entity queries run in PostgreSQL. Sessions use UTC, so timestamps without a zone are UTC.
/// </summary>
public sealed partial class PostgresOfflineStore : OfflineStore
{
    private const string What = "offline store";
    private readonly PostgresOfflineStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the store; connections are pooled and opened per call.</summary>
    /// <exception cref="GranaryException">The options are invalid, or a named password variable is not set.</exception>
    /// <param name="options">The store's settings.</param>
    /// <param name="loggerFactory">Where Npgsql and the store log; nowhere when null.</param>
    public PostgresOfflineStore(PostgresOfflineStoreOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Repo.ConfigBinder.Validate(options, "offline_store (postgres)");

        _options = options;
        _dataSource = PostgresDataSources.Create(options, "offline_store", loggerFactory: loggerFactory);
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<SourceColumn>> DescribeSourceAsync(DataSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var relation = PostgresPointInTimeQuery.Relation(source);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await DescribeAsync(connection, $"SELECT * FROM {relation} src LIMIT 0", cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
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

        var query = new PostgresPointInTimeQuery(request);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (query.CreateEntityTable() is var (create, parameters))
            {
                await ExecuteAsync(connection, create, cancellationToken, parameters).ConfigureAwait(false);
            }
            else if (request.Entities is EntityFiles files)
            {
                await EntityFileLoader.LoadAsync(
                    connection, await files.DescribeAsync(cancellationToken).ConfigureAwait(false), files.ReadAsync(request.TimestampColumn, cancellationToken),
                    PostgresPointInTimeQuery.EntityTable, PostgresPointInTimeQuery.RowColumn, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var path = ((EntityFile)request.Entities).Path;
                await using var file = await EntityFileReader.OpenAsync(path, cancellationToken).ConfigureAwait(false);
                EntityRowsValidator.Validate(request, file);
                await EntityFileLoader.LoadAsync(
                    connection, file, PostgresPointInTimeQuery.EntityTable, PostgresPointInTimeQuery.RowColumn, cancellationToken).ConfigureAwait(false);
            }

            var entityTable = $"SELECT * FROM {Id(PostgresPointInTimeQuery.EntityTable)} LIMIT 0";
            var entityColumns = (await DescribeAsync(connection, entityTable, cancellationToken).ConfigureAwait(false))
                .Where(c => c.Name != PostgresPointInTimeQuery.RowColumn).ToArray();
            EntityRowsValidator.Validate(request, entityColumns);
            var time = entityColumns.First(c => c.Name == request.TimestampColumn);
            if (query.NormalizeTimestamp(time) is { Length: > 0 } alter)
            {
                await ExecuteAsync(connection, alter, cancellationToken).ConfigureAwait(false);
            }

            // Temp tables are never analyzed automatically; without statistics the planner guesses.
            await ExecuteAsync(connection, $"ANALYZE {Id(PostgresPointInTimeQuery.EntityTable)}", cancellationToken).ConfigureAwait(false);
            var (sql, selectParameters) = query.Select(entityColumns);

            // Planning now reports a missing table or column before any output is written.
            await ExecuteAsync(connection, "EXPLAIN " + sql, cancellationToken, selectParameters.Select(p => p.Clone()).ToArray()).ConfigureAwait(false);
            var result = new PostgresRetrievalResult(connection, _dataSource, sql, selectParameters, query.OutputColumns(entityColumns), _options.BatchSize);
            connection = null;
            return result;
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<RecordBatch> PullLatestAsync(
        ViewRequest view, DateTimeOffset start, DateTimeOffset end, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        var (sql, parameters) = PostgresPointInTimeQuery.PullLatest(view, start, end);
        await using var connection = await Translate(_dataSource.OpenConnectionAsync(cancellationToken).AsTask()).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await using var reader = await Translate(command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken)).ConfigureAwait(false);
        await foreach (var batch in PostgresRetrievalResult.ReadBatchesAsync(reader, _dataSource, _options.BatchSize, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    /// <inheritdoc/>
    /// <remarks>One index-only scan of the keys and event times when the source has an index on (keys..., event time).</remarks>
    public override async Task<long?> CountLatestAsync(
        ViewRequest view, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        var (sql, parameters) = PostgresPointInTimeQuery.CountLatest(view, start, end);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
    }

    /// <inheritdoc/>
    public override async Task PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<T> Translate<T>(Task<T> task)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(What, _dataSource, e);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<SourceColumn>> DescribeAsync(NpgsqlConnection connection, string select, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(select, connection);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken).ConfigureAwait(false);
        var columns = new List<SourceColumn>(reader.FieldCount);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var type = reader.GetPostgresType(i);
            columns.Add(new SourceColumn(reader.GetName(i), ToDataType(type, out var isTimestamp), isTimestamp, type.DisplayName));
        }

        return columns;
    }
}
