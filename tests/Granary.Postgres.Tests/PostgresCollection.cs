namespace Granary.Postgres.Tests;

/// <summary>Every test class of the assembly shares one PostgreSQL server; each uses its own tables or database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    /// <summary>The collection name test classes put in <c>[Collection]</c>.</summary>
    public const string Name = "postgres";
}
