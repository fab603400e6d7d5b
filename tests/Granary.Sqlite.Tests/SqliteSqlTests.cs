using Granary.Definitions;

namespace Granary.Sqlite.Tests;

public sealed class SqliteSqlTests
{
    private static FeatureView View(string name, params Field[] schema) => new() { Name = name, Entities = ["e"], Source = "s", Schema = schema };

    private static readonly Field A = new() { Name = "a", Dtype = DataType.Int64 };

    [Fact]
    public void TableName_NamesJoinedDifferently_AreDifferentTables()
    {
        // Both read "online_a__b__c" before the hash; the hash of the exact names tells them apart.
        Assert.NotEqual(SqliteSql.TableName("a__b", View("c", A)), SqliteSql.TableName("a", View("b__c", A)));
    }

    [Fact]
    public void TableName_SchemaChanged_IsAnotherTable()
    {
        var changed = A with { Dtype = DataType.String };

        Assert.NotEqual(SqliteSql.TableName("p", View("v", A)), SqliteSql.TableName("p", View("v", changed)));
    }

    [Fact]
    public void TableName_KnownView_IsTheNameExistingTablesHave()
    {
        // sha256("p\0v\0a:int64\0b:string") starts 8decd548eab5 (worked out with sha256sum): tables
        // written before must keep their names, or an upgrade would orphan their rows.
        var name = SqliteSql.TableName("p", View("v", A, new Field { Name = "b", Dtype = DataType.String }));

        Assert.Equal("online_p__v_8decd548eab5", name);
    }

    [Fact]
    public void TableName_OddCharacters_BecomeUnderscoresInReadablePart()
    {
        var name = SqliteSql.TableName("p\"x", View("v;drop", A));

        Assert.StartsWith("online_p_x__v_drop_", name, StringComparison.Ordinal);
        Assert.Matches("^online_p_x__v_drop_[0-9a-f]{12}$", name);
    }

    [Fact]
    public void Quote_InnerQuote_IsDoubled()
    {
        Assert.Equal("\"a\"\"b\"", SqliteSql.Quote("a\"b"));
    }
}
