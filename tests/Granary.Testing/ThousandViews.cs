using Granary.Definitions;

namespace Granary.Testing;

/// <summary>
/// A large registry for the UI's tests and its render benchmark: 1 entity, 1 source, 1,000 feature
/// views of three features each, and ten services of 100 views.
/// </summary>
public static class ThousandViews
{
    /// <summary>The definitions.</summary>
    public static DefinitionSet Definitions()
    {
        var views = Enumerable.Range(0, 1000).Select(i => new FeatureView
        {
            Name = $"view_{i:D4}",
            Entities = ["driver"],
            Source = "driver_stats",
            Ttl = TimeSpan.FromDays(1),
            Description = $"Generated view number {i}",
            Schema =
            [
                new Field { Name = "conv_rate", Dtype = DataType.Float64, Description = "Share of offers accepted" },
                new Field { Name = "trips", Dtype = DataType.Int64 },
                new Field { Name = "tier", Dtype = DataType.String },
            ],
        }).ToArray();
        return new DefinitionSet
        {
            Entities = [new Entity { Name = "driver", JoinKeys = ["driver_id"] }],
            Sources = [new FileSource { Name = "driver_stats", Path = "data/driver_stats.parquet" }],
            FeatureViews = views,
            FeatureServices = Enumerable.Range(0, 10).Select(s => new FeatureService
            {
                Name = $"service_{s}",
                Features = views.Skip(s * 100).Take(100).Select(v => new FeatureProjection(v.Name)).ToArray(),
            }).ToArray(),
        };
    }
}
