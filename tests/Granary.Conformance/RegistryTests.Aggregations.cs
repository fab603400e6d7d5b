using Granary.Definitions;

namespace Granary.Conformance;

/// <summary>Materialization intervals of aggregation views, which materialize-incremental resumes from.</summary>
public abstract partial class RegistryTests
{
    [Fact]
    public async Task Apply_AggregationViewKept_KeepsItsIntervalsAndDropsThoseOfRemovedOnes()
    {
        var project = Project("agg_intervals");
        static DefinitionSet With(params string[] names) => WithViews() with
        {
            AggregationViews = names.Select(n => new AggregationView
            {
                Name = n,
                Entities = ["driver"],
                Source = "stats",
                Aggregations = [new Aggregation { Function = AggregationFunction.Count, Windows = ["1h"] }],
            }).ToArray(),
        };
        await Registry.ApplyAsync(project, With("kept", "dropped"), 0);
        await Registry.RecordMaterializationAsync(project, "kept", Interval(0, 4));
        await Registry.RecordMaterializationAsync(project, "dropped", Interval(0, 2));

        await Registry.ApplyAsync(project, With("kept"), 1);

        var read = await Registry.GetAsync(project);
        Assert.Equal(Now.AddHours(4), read!.LastMaterializedEnd("kept"));
        Assert.Null(read.LastMaterializedEnd("dropped"));
    }
}
