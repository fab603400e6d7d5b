using System.Data;
using System.Data.Common;
using System.Text.Json;
using Granary.Datasets;
using Granary.Definitions;

namespace Granary.Registry;

/// <summary>
/// The registry in a SQL database (PostgreSQL or a SQLite file) over plain ADO.NET: the backend
/// package supplies the <see cref="DbDataSource"/>. Each project is one row holding its version and
/// its definitions as <see cref="RegistryJson"/>; materialization intervals are rows of their own.
/// An apply is one transaction that locks the project's row and writes only if the version is still
/// the expected one, so concurrent applies from several machines never lose an update; a read is
/// one statement, so readers see a whole version.
/// </summary>
public sealed partial class SqlRegistry : FeatureRegistry
{
    /// <summary>The table of projects.</summary>
    public const string ProjectsTable = "granary_registry_projects";

    /// <summary>The table of materialization intervals.</summary>
    public const string MaterializationsTable = "granary_registry_materializations";

    /// <summary>The table that records the layout version of the registry's tables (from layout 2).</summary>
    public const string LayoutTable = "granary_registry_layout";

    /// <summary>The table of saved datasets' manifests (from layout 3).</summary>
    public const string DatasetsTable = "granary_registry_datasets";

    /// <summary>
    /// The layout of the tables this Granary writes; older layouts are migrated in place when first
    /// opened. 1: Granary 0.1's projects and materializations; 2: the layout table; 3: saved datasets.
    /// </summary>
    public const int LayoutVersion = 3;

    private readonly DbDataSource _dataSource;
    private readonly SqlRegistryDialect _dialect;
    private readonly TimeProvider _time;
    private readonly SourceKinds? _sourceKinds;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    /// <summary>Creates a registry over <paramref name="dataSource"/>; tables are created or migrated on first use.</summary>
    /// <param name="dataSource">The database; disposed with the registry.</param>
    /// <param name="dialect">What differs in the database's SQL.</param>
    /// <param name="timeProvider">The clock that stamps applies.</param>
    /// <param name="sourceKinds">The source kinds it stores; the core's when null.</param>
    public SqlRegistry(DbDataSource dataSource, SqlRegistryDialect dialect, TimeProvider? timeProvider = null, SourceKinds? sourceKinds = null)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _dialect = dialect ?? throw new ArgumentNullException(nameof(dialect));
        _time = timeProvider ?? TimeProvider.System;
        _sourceKinds = sourceKinds;
    }

    /// <inheritdoc/>
    public override async Task<RegistrySnapshot?> GetAsync(string project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection, null, project, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<long> GetVersionAsync(string project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT version FROM {ProjectsTable} WHERE name = @project", ("project", project));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } version and not DBNull
            ? Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }

    /// <inheritdoc/>
    public override async Task<RegistrySnapshot> ApplyAsync(
        string project, DefinitionSet definitions, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(definitions);
        var stored = definitions with { Locations = new Dictionary<(string Kind, string Name), SourceLocation>() };
        var now = _time.GetUtcNow();
        var snapshot = new RegistrySnapshot
        {
            Project = project,
            Version = expectedVersion + 1,
            UpdatedAt = now,
            Definitions = stored,
        };
        return await WriteAsync(project, expectedVersion, snapshot, keepIntervals: true, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a snapshot as it is, keeping its version, update time and intervals: how
    /// <c>granary registry migrate</c> moves a project from another registry.
    /// </summary>
    /// <exception cref="RegistryConflictException">The project already exists here.</exception>
    public Task<RegistrySnapshot> ImportAsync(RegistrySnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var intervals = snapshot.Materializations.SelectMany(m => m.Value.Select(i => (m.Key, i))).ToArray();
        var stored = snapshot with { Definitions = snapshot.Definitions with { Locations = new Dictionary<(string Kind, string Name), SourceLocation>() } };
        return WriteAsync(snapshot.Project, 0, stored, keepIntervals: false, intervals, cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task RecordMaterializationAsync(
        string project, string featureView, MaterializationInterval interval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(featureView);
        ArgumentNullException.ThrowIfNull(interval);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"INSERT INTO {MaterializationsTable} (project, view_name, start_us, end_us, recorded_us) " +
            $"SELECT @project, @view, @start, @end, @recorded WHERE EXISTS (SELECT 1 FROM {ProjectsTable} WHERE name = @project)",
            ("project", project), ("view", featureView), ("start", ToMicroseconds(interval.Start)), ("end", ToMicroseconds(interval.End)),
            ("recorded", ToMicroseconds(interval.RecordedAt)));
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new GranaryException($"project '{project}' is not in the registry; run 'granary apply' first");
        }
    }

    /// <inheritdoc/>
    public override async Task ResetMaterializationsAsync(
        string project, IReadOnlyCollection<string> featureViews, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(featureViews);
        if (featureViews.Count == 0)
        {
            return;
        }

        var names = featureViews.ToArray();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"DELETE FROM {MaterializationsTable} WHERE project = @project AND view_name IN ({string.Join(", ", names.Select((_, i) => $"@v{i}"))})",
            [("project", project), .. names.Select((name, i) => ($"v{i}", (object)name))]);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<bool> DeleteProjectAsync(string project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var intervals = Command(connection, transaction, $"DELETE FROM {MaterializationsTable} WHERE project = @project", ("project", project)))
        {
            await intervals.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var datasets = Command(connection, transaction, $"DELETE FROM {DatasetsTable} WHERE project = @project", ("project", project)))
        {
            await datasets.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int deleted;
        await using (var row = Command(connection, transaction, $"DELETE FROM {ProjectsTable} WHERE name = @project", ("project", project)))
        {
            deleted = await row.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted > 0;
    }

    /// <inheritdoc/>
    /// <remarks>One INSERT that finds the project in the same statement; the primary key (project, name) refuses a second dataset of a name.</remarks>
    public override async Task SaveDatasetAsync(string project, SavedDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(dataset);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        int inserted;
        try
        {
            await using var command = Command(connection, null,
                $"INSERT INTO {DatasetsTable} (project, name, created_us, manifest) " +
                $"SELECT @project, @name, @created, @manifest WHERE EXISTS (SELECT 1 FROM {ProjectsTable} WHERE name = @project)",
                ("project", project), ("name", dataset.Name), ("created", ToMicroseconds(dataset.CreatedAt)), ("manifest", RegistryJson.Serialize(dataset)));
            inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException)
        {
            if (await GetDatasetAsync(project, dataset.Name, CancellationToken.None).ConfigureAwait(false) is not null)
            {
                throw DatasetExists(project, dataset.Name);
            }

            throw;
        }

        if (inserted == 0)
        {
            throw ProjectMissing(project);
        }
    }

    /// <inheritdoc/>
    public override async Task<SavedDataset?> GetDatasetAsync(string project, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT manifest FROM {DatasetsTable} WHERE project = @project AND name = @name", ("project", project), ("name", name));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? ReadDataset(project, name, json) : null;
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<SavedDataset>> ListDatasetsAsync(string project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT name, manifest FROM {DatasetsTable} WHERE project = @project", ("project", project));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var datasets = new List<SavedDataset>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            datasets.Add(ReadDataset(project, reader.GetString(0), reader.GetString(1)));
        }

        return datasets.OrderBy(d => d.Name, StringComparer.Ordinal).ToArray();
    }

    /// <inheritdoc/>
    public override async Task<bool> DeleteDatasetAsync(string project, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"DELETE FROM {DatasetsTable} WHERE project = @project AND name = @name", ("project", project), ("name", name));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static SavedDataset ReadDataset(string project, string name, string json)
    {
        try
        {
            return RegistryJson.Deserialize<SavedDataset>(json);
        }
        catch (JsonException e)
        {
            throw new GranaryException($"registry: dataset '{name}' of project '{project}' is not a Granary manifest ({e.Message})", e);
        }
    }

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<string>> ListProjectsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT name FROM {ProjectsTable}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }

        // The database's collation may not be ordinal; every registry lists in the same order.
        return names.Order(StringComparer.Ordinal).ToArray();
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _schemaLock.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// One transaction: lock the project's row, check its version, write the row, then drop the
    /// intervals of views that are gone (or replace them all for an import).
    /// </summary>
    private async Task<RegistrySnapshot> WriteAsync(
        string project, long expectedVersion, RegistrySnapshot snapshot, bool keepIntervals,
        IReadOnlyList<(string View, MaterializationInterval Interval)> intervals, CancellationToken cancellationToken)
    {
        var json = RegistryJson.Serialize(snapshot.Definitions, _sourceKinds);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long actual;
        await using (var select = Command(connection, transaction, _dialect.SelectVersionForUpdateSql, ("project", project)))
        {
            actual = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } v and not DBNull
                ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)
                : 0;
        }

        if (actual != expectedVersion)
        {
            throw new RegistryConflictException(project, expectedVersion, actual);
        }

        (string, object)[] values =
        [
            ("project", project), ("expected", expectedVersion), ("version", snapshot.Version),
            ("updated", ToMicroseconds(snapshot.UpdatedAt)), ("definitions", json),
        ];
        var write = expectedVersion == 0
            ? $"INSERT INTO {ProjectsTable} (name, version, updated_at, definitions) VALUES (@project, @version, @updated, @definitions)"
            : $"UPDATE {ProjectsTable} SET version = @version, updated_at = @updated, definitions = @definitions WHERE name = @project AND version = @expected";
        try
        {
            await using var command = Command(connection, transaction, write, values);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                throw new RegistryConflictException(project, expectedVersion, await GetVersionAsync(project, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (DbException) when (expectedVersion == 0)
        {
            // Two first applies raced: the loser's INSERT hit the primary key.
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw new RegistryConflictException(project, expectedVersion, await GetVersionAsync(project, CancellationToken.None).ConfigureAwait(false));
        }

        var views = snapshot.Definitions.FeatureViews.Select(v => v.Name).Concat(snapshot.Definitions.AggregationViews.Select(v => v.Name)).ToArray();
        var parameters = new List<(string, object)> { ("project", project) };
        var drop = $"DELETE FROM {MaterializationsTable} WHERE project = @project";
        if (keepIntervals && views.Length > 0)
        {
            parameters.AddRange(views.Select((name, i) => ($"v{i}", (object)name)));
            drop += $" AND view_name NOT IN ({string.Join(", ", views.Select((_, i) => $"@v{i}"))})";
        }

        await using (var command = Command(connection, transaction, drop, [.. parameters]))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (view, interval) in intervals)
        {
            await using var insert = Command(connection, transaction,
                $"INSERT INTO {MaterializationsTable} (project, view_name, start_us, end_us, recorded_us) VALUES (@project, @view, @start, @end, @recorded)",
                ("project", project), ("view", view), ("start", ToMicroseconds(interval.Start)), ("end", ToMicroseconds(interval.End)),
                ("recorded", ToMicroseconds(interval.RecordedAt)));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var written = await ReadAsync(connection, transaction, project, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return written!;
    }

    private async Task<RegistrySnapshot?> ReadAsync(DbConnection connection, DbTransaction? transaction, string project, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, SelectSnapshotSql, ("project", project));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        RegistrySnapshot? snapshot = null;
        var intervals = new Dictionary<string, List<MaterializationInterval>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (reader.GetInt32(0) == 0)
            {
                snapshot = new RegistrySnapshot
                {
                    Project = project,
                    Version = reader.GetInt64(1),
                    UpdatedAt = FromMicroseconds(reader.GetInt64(2)),
                    Definitions = ReadDefinitions(project, reader.GetString(3)),
                };
            }
            else
            {
                var view = reader.GetString(4);
                if (!intervals.TryGetValue(view, out var list))
                {
                    intervals[view] = list = [];
                }

                list.Add(new MaterializationInterval(
                    FromMicroseconds(reader.GetInt64(5)), FromMicroseconds(reader.GetInt64(6)), FromMicroseconds(reader.GetInt64(7))));
            }
        }

        return snapshot is null
            ? null
            : snapshot with { Materializations = intervals.ToDictionary(i => i.Key, i => (IReadOnlyList<MaterializationInterval>)i.Value, StringComparer.Ordinal) };
    }

    private DefinitionSet ReadDefinitions(string project, string json)
    {
        try
        {
            return RegistryJson.Deserialize<DefinitionSet>(json, _sourceKinds);
        }
        catch (JsonException e)
        {
            throw new GranaryException($"registry: the definitions of project '{project}' are not a Granary document ({e.Message})", e);
        }
    }

    private static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    private static DateTimeOffset FromMicroseconds(long microseconds) => DateTimeOffset.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond);

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
