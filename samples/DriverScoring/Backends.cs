using Granary;

namespace DriverScoring;

/// <summary>The backends this app installs; feature_repo/granary.yaml chooses among them.</summary>
internal static class Backends
{
    public static FeatureStoreBuilder Add(FeatureStoreBuilder stores) => stores.AddDuckDb().AddSqlite();
}
