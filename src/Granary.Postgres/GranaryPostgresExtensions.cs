using System.Globalization;
using Granary.Postgres;
using Granary.Registry;
using Granary.Repo;

// Extensions live in the root namespace so that AddPostgres() is found without extra usings.
namespace Granary;

/// <summary>Plugs the PostgreSQL stores into a <see cref="FeatureStoreBuilder"/>.</summary>
public static class GranaryPostgresExtensions
{
    /// <summary>
    /// Makes <c>offline_store: { type: postgres }</c>, <c>online_store: { type: postgres }</c> and
    /// <c>registry: { type: sql, dialect: postgres }</c> available. Keys of each section:
    /// <c>connection_string</c> (Npgsql's key=value form, without a password), <c>password_env</c>,
    /// <c>command_timeout</c> (seconds); for the offline store <c>batch_size</c>; for the online store
    /// <c>schema</c> and <c>rows_per_statement</c>; for the registry <c>dialect</c>.
    /// </summary>
    public static FeatureStoreBuilder AddPostgres(this FeatureStoreBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddOfflineStore("postgres", context =>
        {
            var options = Read(new PostgresOfflineStoreOptions(), context.Section, "offline_store");
            if (context.Section.Get("batch_size") is { } batch)
            {
                options.BatchSize = Integer(batch, "offline_store.batch_size");
            }

            return new PostgresOfflineStore(options);
        });
        builder.AddOnlineStore("postgres", context =>
        {
            var options = Read(new PostgresOnlineStoreOptions(), context.Section, "online_store");
            options.Schema = context.Section.Get("schema");
            if (context.Section.Get("rows_per_statement") is { } rows)
            {
                options.RowsPerStatement = Integer(rows, "online_store.rows_per_statement");
            }

            return new PostgresOnlineStore(options);
        });
        builder.AddSqlRegistryDialect(SqlRegistryDialect.PostgreSql, context =>
            PostgresDataSources.Create(Read(new PostgresRegistryOptions(), context.Section, "registry"), "registry"));
        return builder;
    }

    private static T Read<T>(T options, StoreConfig section, string key)
        where T : PostgresOptions
    {
        options.ConnectionString = section.Get("connection_string")
            ?? throw new GranaryException($"{RepoConfig.FileName}: {key}.connection_string is required, for example \"Host=localhost;Port=5432;Username=granary;Database=features\"");
        options.PasswordEnvironmentVariable = section.Get("password_env");
        if (section.Get("command_timeout") is { } timeout)
        {
            options.CommandTimeoutSeconds = Integer(timeout, $"{key}.command_timeout");
        }

        return options;
    }

    private static int Integer(string text, string key) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new GranaryException($"{RepoConfig.FileName}: {key} must be a whole number above 0, not '{text}'");
}
