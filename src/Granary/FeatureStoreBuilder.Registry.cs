using System.Data.Common;
using Granary.Registry;
using Granary.Repo;

namespace Granary;

public sealed partial class FeatureStoreBuilder
{
    private readonly Dictionary<SqlRegistryDialect, Func<StoreContext, DbDataSource>> _sqlDialects = [];

    /// <summary>
    /// Makes <c>registry: { type: sql, dialect: ... }</c> available for one SQL dialect; the backend
    /// package that knows the database supplies the connections (<c>AddPostgres()</c> for
    /// <c>dialect: postgres</c>, the default).
    /// </summary>
    public FeatureStoreBuilder AddSqlRegistryDialect(SqlRegistryDialect dialect, Func<StoreContext, DbDataSource> dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _sqlDialects[dialect] = dataSource;
        _registries["sql"] = context =>
        {
            var name = context.Section.Get("dialect") ?? "postgres";
            SqlRegistryDialect? chosen = name switch
            {
                "postgres" or "postgresql" => SqlRegistryDialect.PostgreSql,
                "sqlite" => SqlRegistryDialect.Sqlite,
                _ => null,
            };
            if (chosen is not { } known)
            {
                throw new GranaryException($"{RepoConfig.FileName}: registry.dialect must be postgres or sqlite, not '{name}'");
            }

            if (!_sqlDialects.TryGetValue(known, out var connect))
            {
                throw new GranaryException($"{RepoConfig.FileName}: registry.dialect '{name}' is not installed; add its backend package to the host");
            }

            return new SqlRegistry(connect(context), known, context.TimeProvider);
        };
        return this;
    }
}
