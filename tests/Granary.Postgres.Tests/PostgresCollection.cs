namespace Granary.Postgres.Tests;

/// <summary>
/// Every test class of the assembly shares one PostgreSQL server (<see cref="PostgresServer"/>, from
/// Granary.Testing); each uses its own tables or database. xunit reads collection definitions only
/// from the test assembly, so the definition is here.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    /// <summary>The collection name test classes put in <c>[Collection]</c>.</summary>
    public const string Name = "postgres";
}
