using Granary.Registry;

namespace Granary;

public sealed partial class FeatureStoreBuilder
{
    private readonly List<SqlRegistryDialect> _sqlDialects = [];

    /// <summary>
    /// Makes <c>registry: { type: sql, dialect: ... }</c> available for one SQL database; the backend
    /// package that knows the database supplies the dialect (<c>AddPostgres()</c> for <c>dialect: postgres</c>,
    /// the default when none is named, and <c>AddSqlite()</c> for <c>dialect: sqlite</c>).
    /// </summary>
    public FeatureStoreBuilder AddSqlRegistryDialect(SqlRegistryDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        _sqlDialects.RemoveAll(d => d.GetType() == dialect.GetType());
        _sqlDialects.Add(dialect);
        _registries["sql"] = context =>
        {
            var name = context.Section.Get("dialect") ?? _sqlDialects.FirstOrDefault(d => d.IsDefault)?.Names[0] ?? string.Empty;
            var chosen = _sqlDialects.FirstOrDefault(d => d.Names.Contains(name, StringComparer.Ordinal))
                ?? throw new GranaryException(
                    $"{context.Section.Where("dialect")}: dialect '{name}' is not installed; expected one of: " +
                    $"{string.Join(", ", _sqlDialects.SelectMany(d => d.Names).Order(StringComparer.Ordinal))} (add its backend package to the host)");
            return new SqlRegistry(chosen.CreateDataSource(context), chosen, context.TimeProvider, context.SourceKinds);
        };
        return this;
    }
}
