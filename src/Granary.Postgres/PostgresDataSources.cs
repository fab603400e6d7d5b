using Granary.Repo;
using Granary.Postgres.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Granary.Postgres;

/// <summary>Builds the Npgsql data source of a store from its options: password from the environment, UTC sessions.</summary>
internal static class PostgresDataSources
{
    public static NpgsqlDataSource Create(PostgresOptions options, string what, bool serving = false, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new GranaryException($"{what}: connection_string is required, for example \"Host=localhost;Port=5432;Username=granary;Database=features\"");
        }

        ConfigBinder.Validate(options, what);

        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            // The message names the bad key, never the value.
            throw new GranaryException($"{what}: connection_string is not a valid Npgsql connection string ({e.Message})", e);
        }

        var settings = builder.ConnectionStringBuilder;
        if (!string.IsNullOrEmpty(settings.Password))
        {
            throw new GranaryException(
                $"{what}: connection_string must not contain a password; put it in an environment variable and name that variable in password_env");
        }

        if (options.PasswordEnvironmentVariable is { Length: > 0 } variable)
        {
            settings.Password = Environment.GetEnvironmentVariable(variable)
                ?? throw new GranaryException($"{what}: password_env names the environment variable '{variable}', which is not set");
        }

        settings.Timezone = "UTC";
        settings.CommandTimeout = options.CommandTimeoutSeconds;
        settings.ApplicationName ??= "granary";
        if (!serving)
        {
            // Entity rows live in temp tables, which use session-local buffers (8 MB by default):
            // a million rows would spill. It can only be set before a session's first temp table.
            settings.Options = $"-c temp_buffers=256MB {settings.Options}".Trim();
        }
        else
        {
            // The serving path repeats a few statements: prepare them once per connection, and skip
            // the session reset on return to the pool (no session state is used).
            if (settings.MaxAutoPrepare == 0)
            {
                settings.MaxAutoPrepare = 32;
            }

            settings.NoResetOnClose = true;
        }

        if (loggerFactory is not null)
        {
            // Npgsql's own events (failed connections, pool exhaustion) go where the host's logs go.
            builder.UseLoggerFactory(loggerFactory);
        }

        var dataSource = builder.Build();
        Log.DataSourceCreated((loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Granary.Postgres"), what, Describe(dataSource));
        return dataSource;
    }

    /// <summary>Where the store connects, for messages: host, port and database, never the password.</summary>
    public static string Describe(NpgsqlDataSource dataSource)
    {
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"{settings.Host}:{settings.Port}/{settings.Database}";
    }
}
