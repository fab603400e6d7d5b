using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>An open connection and its prepared statements, keyed by text.</summary>
internal sealed class PooledSqliteConnection : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private int _generation;

    public PooledSqliteConnection(SqliteConnection connection, int generation)
    {
        Connection = connection;
        _generation = generation;
    }

    public SqliteConnection Connection { get; }

    /// <summary>The pool's file epoch when the connection was opened: a connection of an older epoch holds a replaced file.</summary>
    public int FileEpoch { get; init; }

    /// <summary>
    /// The prepared statement for <paramref name="sql"/> with parameters <c>$0</c> to
    /// <c>$parameters-1</c>, prepared on first use; its parameters keep the previous call's values.
    /// </summary>
    public SqliteCommand Statement(string sql, int parameters)
    {
        if (_statements.TryGetValue(sql, out var command))
        {
            return command;
        }

        command = Connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter("$" + i.ToString(CultureInfo.InvariantCulture), null));
        }

        command.Prepare();
        _statements[sql] = command;
        return command;
    }

    /// <summary>Finalizes the statements when tables were dropped since they were prepared.</summary>
    public void ForgetStatementsBefore(int generation)
    {
        if (generation == _generation)
        {
            return;
        }

        DisposeStatements();
        _generation = generation;
    }

    public void Dispose()
    {
        DisposeStatements();
        Connection.Dispose();
    }

    private void DisposeStatements()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
    }
}
