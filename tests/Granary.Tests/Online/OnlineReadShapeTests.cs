using Granary.Online;

namespace Granary.Tests.Online;

public sealed class OnlineReadShapeTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<object?>> Entities =
        new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = [1001L] };

    private static OnlineReadShape Shape(string[]? features = null, string? service = null, bool fullNames = false) =>
        new(new OnlineFeaturesRequest { Features = features, FeatureService = service, FullFeatureNames = fullNames, Entities = Entities });

    [Fact]
    public void Equals_SameFeaturesInAnotherList_EqualWithTheSameHash()
    {
        var a = Shape(["v:a", "v:b"]);
        var b = Shape([new string(['v', ':', 'a']), "v:b"]);

        Assert.True(a.Equals(b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData("v:b,v:a", null, false)] // the same features in another order name the columns in that order
    [InlineData("v:a", null, false)]
    [InlineData("v:a,v:b", null, true)]
    [InlineData("v:a,v:b", "svc", false)]
    public void Equals_AnythingThePlanDependsOnDiffers_NotEqual(string features, string? service, bool fullNames)
    {
        Assert.False(Shape(["v:a", "v:b"]).Equals(Shape(features.Split(','), service, fullNames)));
    }

    [Fact]
    public void Equals_ServiceWithoutFeaturesAndEmptyFeatures_SameShape()
    {
        Assert.True(Shape(service: "svc").Equals(Shape([], "svc")));
    }

    [Fact]
    public void Copy_CallerChangesItsList_KeyKeepsTheFeaturesItWasMadeOf()
    {
        var features = new[] { "v:a", "v:b" };
        var kept = Shape(features).Copy();
        features[1] = "v:c";

        Assert.True(kept.Equals(Shape(["v:a", "v:b"])));
        Assert.False(kept.Equals(Shape(features)));
    }
}
