namespace Granary.Offline;

/// <summary>Entity rows from a SELECT run by the offline store.</summary>
/// <param name="Sql">The query.</param>
public sealed record EntitySql(string Sql) : EntityInput;
