using Granary.Online;

namespace Granary.Tests.Online;

public sealed class EntityKeyTests
{
    [Fact]
    public void Canonical_IntegerWidths_AreTheSameKey() =>
        Assert.Equal(new EntityKey(["driver_id"], [1001]), new EntityKey(["driver_id"], [1001L]));

    [Fact]
    public void Canonical_SeparatorsInsideStrings_DoNotMakeDifferentKeysEqual()
    {
        // Without escaping both render as a=sx<US>b=sy<US>b=sz.
        var first = new EntityKey(["a", "b"], ["x\u001fb=sy", "z"]);
        var second = new EntityKey(["a", "b"], ["x", "y\u001fb=sz"]);

        Assert.NotEqual(first.Canonical, second.Canonical);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Canonical_EqualsSignInName_DoesNotCollide()
    {
        Assert.NotEqual(new EntityKey(["a"], ["b=sc"]).Canonical, new EntityKey(["a=sb"], ["c"]).Canonical);
    }

    [Fact]
    public void Canonical_PlainValues_StayReadable() =>
        Assert.Equal("driver_id=i1001\u001fcity=sOslo", new EntityKey(["driver_id", "city"], [1001L, "Oslo"]).Canonical);
}
