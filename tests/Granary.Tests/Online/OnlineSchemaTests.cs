using Granary.Definitions;
using Granary.Online;

namespace Granary.Tests.Online;

public sealed class OnlineSchemaTests
{
    private static readonly FeatureView Stats = new()
    {
        Name = "stats",
        Entities = ["driver"],
        Source = "s1",
        Schema = [new Field { Name = "conv_rate", Dtype = DataType.Float64 }, new Field { Name = "trips", Dtype = DataType.Parse("int64_list") }],
    };

    [Fact]
    public void Entries_TwoFeatures_AreNameSeparatorDtypeInSchemaOrder()
    {
        Assert.Equal(["conv_rate:float64", "trips:int64_list"], OnlineSchema.Entries(Stats, ":"));
    }

    [Fact]
    public void RowsChanged_DescriptionTtlOrOnlineChanged_IsFalse()
    {
        Assert.False(OnlineSchema.RowsChanged(Stats, Stats with { Description = "d", Ttl = TimeSpan.FromDays(1), Online = false }));
    }

    [Fact]
    public void RowsChanged_FeatureDescriptionChanged_IsFalse()
    {
        var described = Stats with { Schema = [Stats.Schema[0] with { Description = "rate" }, Stats.Schema[1]] };

        Assert.True(OnlineSchema.SameFeatures(Stats, described));
        Assert.False(OnlineSchema.RowsChanged(Stats, described));
    }

    [Theory]
    [InlineData("entities")]
    [InlineData("source")]
    [InlineData("dtype")]
    [InlineData("name")]
    [InlineData("order")]
    [InlineData("added")]
    public void RowsChanged_KeySourceOrFeaturesChanged_IsTrue(string change)
    {
        var changed = change switch
        {
            "entities" => Stats with { Entities = ["driver", "rider"] },
            "source" => Stats with { Source = "s2" },
            "dtype" => Stats with { Schema = [Stats.Schema[0] with { Dtype = DataType.Parse("float32") }, Stats.Schema[1]] },
            "name" => Stats with { Schema = [Stats.Schema[0] with { Name = "rate" }, Stats.Schema[1]] },
            "order" => Stats with { Schema = [Stats.Schema[1], Stats.Schema[0]] },
            _ => Stats with { Schema = [.. Stats.Schema, new Field { Name = "extra", Dtype = DataType.String }] },
        };

        Assert.True(OnlineSchema.RowsChanged(Stats, changed));
    }
}
