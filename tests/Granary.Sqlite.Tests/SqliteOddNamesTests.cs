using Granary.Definitions;
using Granary.Registry;

namespace Granary.Sqlite.Tests;

/// <summary>Names with quotes, semicolons and spaces reach the SQLite registry only as parameters.</summary>
public sealed class SqliteOddNamesTests : IDisposable
{
    private const string Project = "proj \"p\"; 1";
    private const string ViewName = "view \"v\"; 1";
    private static readonly DateTimeOffset Day = new(2021, 4, 12, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-sqlite-odd-" + Guid.NewGuid().ToString("N"));

    public SqliteOddNamesTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Registry_OddProjectViewAndFileNames_RoundTrip()
    {
        var source = new FileSource { Name = "odd; source", Path = "data/it's \"odd\".parquet", TimestampField = "event \"ts\"; y" };
        var set = new DefinitionSet
        {
            Entities = [new Entity { Name = "driver", JoinKeys = ["driver \"id\"; x"] }],
            Sources = [source],
            FeatureViews = [new FeatureView { Name = ViewName, Entities = ["driver"], Source = source.Name, Schema = [new Field { Name = "trips; DROP TABLE x; --", Dtype = DataType.Int64 }] }],
        };
        await using var registry = new SqliteRegistryOptions { Path = Path.Combine(_folder, "registry; \"x\".db") }.CreateRegistry();

        await registry.ApplyAsync(Project, set, 0);
        await registry.RecordMaterializationAsync(Project, ViewName, new MaterializationInterval(Day, Day.AddHours(1), Day.AddHours(2)));

        var read = (await registry.GetAsync(Project))!;
        Assert.Equal(RegistryJson.Serialize(set), RegistryJson.Serialize(read.Definitions));
        Assert.Equal(Day.AddHours(1), read.LastMaterializedEnd(ViewName));
        Assert.Equal([Project], await registry.ListProjectsAsync());
        Assert.True(await registry.DeleteProjectAsync(Project));
        Assert.Empty(await registry.ListProjectsAsync());
    }
}
