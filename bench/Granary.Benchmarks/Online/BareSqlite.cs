using Granary.Definitions;
using Granary.Online;
using Microsoft.Data.Sqlite;

namespace Granary.Benchmarks.Online;

/// <summary>
/// What an application would do by hand against the same file: one prepared SELECT per view, the
/// row's blob fetched but not decoded.
/// </summary>
internal sealed class BareSqlite : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand[] _selects;

    private BareSqlite(SqliteConnection connection, SqliteCommand[] selects)
    {
        _connection = connection;
        _selects = selects;
    }

    public string Version => _connection.ServerVersion;

    public static BareSqlite Open(string path, IReadOnlyList<FeatureView> views)
    {
        var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        var selects = views.Select(view =>
        {
            using var find = connection.CreateCommand();
            find.CommandText = "SELECT table_name FROM granary_online_tables WHERE project = 'bench' AND view = $view";
            find.Parameters.AddWithValue("$view", view.Name);
            var table = (string)find.ExecuteScalar()!;
            var select = connection.CreateCommand();
            select.CommandText = $"SELECT entity_key, event_ts, feature_values FROM \"{table}\" WHERE entity_key = $0";
            select.Parameters.Add(new SqliteParameter("$0", string.Empty));
            select.Prepare();
            return select;
        }).ToArray();
        return new BareSqlite(connection, selects);
    }

    public void Read(EntityKey key)
    {
        foreach (var select in _selects)
        {
            select.Parameters[0].Value = key.Canonical;
            using var reader = select.ExecuteReader();
            if (reader.Read())
            {
                _ = reader.GetInt64(1);
                _ = (byte[])reader.GetValue(2);
            }
        }
    }

    public void Dispose()
    {
        foreach (var select in _selects)
        {
            select.Dispose();
        }

        _connection.Dispose();
    }
}
