using Granary.Definitions;
using Granary.ExampleBackend.Tests.Backend;
using Granary.Registry;
using Granary.Repo;

namespace Granary.ExampleBackend.Tests;

/// <summary>csv_folder_source in YAML and in the registry: what it reads into, and each mistake named with file, line and column.</summary>
public sealed class CsvFolderSourceTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("granary-csv-folder-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private static SourceKinds Kinds => new FeatureStoreBuilder(new RepoConfig { RepoPath = ".", Project = "p" }).AddExampleBackend().SourceKinds;

    private DefinitionSet Load(string yaml, SourceKinds? kinds = null)
    {
        File.WriteAllText(Path.Combine(_repo, "sources.yaml"), yaml);
        return FeatureRepo.LoadDefinitions(_repo, kinds ?? Kinds);
    }

    [Fact]
    public void LoadDefinitions_CsvFolderSource_ReadsItsKeysAndTheSharedOnes()
    {
        var set = Load("""
            kind: csv_folder_source
            name: trips
            folder: data/trips
            timestamp_field: ts
            field_mapping: { drv: driver_id }
            schema:
              - { name: drv, dtype: int64 }
              - { name: ts, dtype: unix_timestamp }
              - { name: rate, dtype: float32 }
            """);

        var source = Assert.IsType<CsvFolderSource>(Assert.Single(set.Sources));
        Assert.Equal(("trips", "data/trips", "ts"), (source.Name, source.Folder, source.TimestampField));
        Assert.Equal("driver_id", source.FieldMapping["drv"]);
        Assert.Equal(["drv:int64", "ts:unix_timestamp", "rate:float32"], source.Schema.Select(c => $"{c.Name}:{c.Dtype}"));
    }

    [Theory]
    [InlineData(
        "kind: csv_folder_source\nname: trips\nschema: [{ name: a, dtype: int64 }]\n",
        "sources.yaml:1:1: csv_folder_source 'trips': missing required key 'folder'")]
    [InlineData(
        "kind: csv_folder_source\nname: trips\nfolder: /data/trips\nschema: [{ name: a, dtype: int64 }]\n",
        "sources.yaml:3:9: csv_folder_source 'trips': '/data/trips' must be relative to the repo, not absolute")]
    [InlineData(
        "kind: csv_folder_source\nname: trips\nfolder: data\nschema:\n  - { name: a, dtype: integer }\n",
        "sources.yaml:5:23: csv_folder_source 'trips' column: column 'a' has dtype 'integer'; a CSV value is read as one of: int32, int64, float32, float64, string, bool, unix_timestamp")]
    [InlineData(
        "kind: csv_folder_source\nname: trips\nfolder: data\nschema:\n  - { name: a, dtype: int64_list }\n",
        "sources.yaml:5:23: csv_folder_source 'trips' column: column 'a' has dtype 'int64_list'; a CSV value is read as one of: int32, int64, float32, float64, string, bool, unix_timestamp")]
    [InlineData(
        "kind: csv_folder_source\nname: trips\nfolder: data\nschema:\n  - { name: a, dtype: int64 }\n  - { name: a, dtype: string }\n",
        "sources.yaml:6:13: csv_folder_source 'trips' column: column 'a' is declared twice")]
    [InlineData(
        "kind: csv_folder_source\nname: trips\nfolder: data\nschema:\n  - a\n",
        "sources.yaml:5:5: csv_folder_source 'trips': each schema entry must be a mapping such as { name: driver_id, dtype: int64 }")]
    [InlineData(
        "kind: csv_folder_source\nname: trips\nfolder: data\nschema:\n  - { name: a, dtype: int64, unit: s }\n",
        "sources.yaml:5:30: csv_folder_source 'trips' column: unknown key 'unit'; expected one of: dtype, name")]
    public void LoadDefinitions_Mistake_NamesFileLineAndWhatIsExpected(string yaml, string expected)
    {
        var error = Assert.Throws<RepoValidationException>(() => Load(yaml));

        Assert.Equal([expected], error.Errors);
    }

    [Fact]
    public void LoadDefinitions_HostWithoutTheBackend_DoesNotKnowTheKind()
    {
        var error = Assert.Throws<RepoValidationException>(() => Load(
            "kind: csv_folder_source\nname: trips\nfolder: data\nschema: [{ name: a, dtype: int64 }]\n", new SourceKinds()));

        Assert.StartsWith("sources.yaml:1:7: csv_folder_source 'trips': unknown kind 'csv_folder_source'; expected one of: ", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void RegistryJson_CsvFolderSource_IsStoredUnderItsDiscriminatorAndReadBack()
    {
        var source = new CsvFolderSource
        {
            Name = "trips",
            Folder = "data/trips",
            Schema = [new Field { Name = "driver_id", Dtype = DataType.Int64 }],
            CreatedTimestampColumn = "created",
        };

        var json = RegistryJson.SerializeDefinition(source, Kinds);
        var read = RegistryJson.Deserialize<DataSource>(json, Kinds);

        Assert.Contains("\"type\": \"csv_folder\"", json, StringComparison.Ordinal);
        var back = Assert.IsType<CsvFolderSource>(read);
        Assert.Equal(("data/trips", "created", "driver_id"), (back.Folder, back.CreatedTimestampColumn, back.Schema[0].Name));
    }
}
