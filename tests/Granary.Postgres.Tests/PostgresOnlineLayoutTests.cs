using Granary.Definitions;

namespace Granary.Postgres.Tests;

public sealed class PostgresOnlineLayoutTests
{
    private static FeatureView View(params Field[] schema) => new() { Name = "v", Entities = ["e"], Source = "s", Schema = schema };

    [Fact]
    public void Fingerprint_KnownSchema_IsTheValueExistingRowsHold()
    {
        // The first 8 bytes of sha256("a\0int64\0b\0string\0"), little-endian (worked out with
        // sha256sum and Python's struct): rows written before must keep matching, or an upgrade
        // would make them unreadable.
        var view = View(new Field { Name = "a", Dtype = DataType.Int64 }, new Field { Name = "b", Dtype = DataType.String });

        Assert.Equal(8801977506734419624L, PostgresOnlineLayout.Fingerprint(view));
    }

    [Fact]
    public void Fingerprint_FeatureRetyped_Differs()
    {
        var before = View(new Field { Name = "a", Dtype = DataType.Int64 });

        Assert.NotEqual(PostgresOnlineLayout.Fingerprint(before), PostgresOnlineLayout.Fingerprint(View(new Field { Name = "a", Dtype = DataType.Float64 })));
    }
}
