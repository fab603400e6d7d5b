using Granary.Repo;

namespace Granary.Tests.Repo;

/// <summary>
/// The repo-folder rule holds for real paths: a symlink inside the repo cannot lead a definition, a source or a
/// write outside it (0.1 compared the paths' text only, so a symlink got around the rule).
/// </summary>
public sealed class SymlinkTests : IDisposable
{
    private const string Entity = "kind: entity\nname: rider\njoin_keys: [rider_id]\n";
    private readonly TempRepo _repo = new();
    private readonly string _outside = Directory.CreateTempSubdirectory("granary-outside-").FullName;

    public void Dispose()
    {
        _repo.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    [Fact]
    public void LoadDefinitions_DefinitionFileIsASymlinkOutside_IsRefused()
    {
        File.WriteAllText(Path.Combine(_outside, "shared.yaml"), Entity);
        File.CreateSymbolicLink(Path.Combine(_repo.Path, "shared.yaml"), Path.Combine(_outside, "shared.yaml"));

        var error = Assert.Throws<RepoValidationException>(() => FeatureRepo.LoadDefinitions(_repo.Path));

        Assert.Equal($"shared.yaml: a symlink to '{Path.Combine(_outside, "shared.yaml")}', outside the repo folder; definition files must be inside the repo", Assert.Single(error.Errors));
    }

    [Fact]
    public void LoadDefinitions_DanglingSymlinkInside_NamesItWithoutAStackTrace()
    {
        File.CreateSymbolicLink(Path.Combine(_repo.Path, "gone.yaml"), Path.Combine(_repo.Path, "nowhere", "gone.yaml"));

        var error = Assert.Throws<RepoValidationException>(() => FeatureRepo.LoadDefinitions(_repo.Path));

        Assert.Equal($"gone.yaml: a symlink to '{Path.Combine(_repo.Path, "nowhere", "gone.yaml")}', which does not exist", Assert.Single(error.Errors));
    }

    [Fact]
    public void LoadDefinitions_SymlinkToAFileInsideTheRepo_IsRead()
    {
        // The target sits in a hidden folder, which the repo does not read by itself.
        _repo.Write(".shared/rider.yaml", Entity);
        File.CreateSymbolicLink(Path.Combine(_repo.Path, "rider.yaml"), Path.Combine(".shared", "rider.yaml"));

        var set = FeatureRepo.LoadDefinitions(_repo.Path);

        Assert.Equal("rider", Assert.Single(set.Entities).Name);
    }

    [Fact]
    public void Resolve_PathThroughASymlinkedFolderOutside_IsRefused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_repo.Path, "data"), _outside);

        var error = Assert.Throws<GranaryException>(() => RepoPaths.Resolve(_repo.Path, "data/stats/*.parquet", "file_source 'stats' path"));

        Assert.Equal(
            $"file_source 'stats' path: 'data/stats/*.parquet' leads outside the repo folder through a symlink (to '{Path.Combine(_outside, "stats", "*.parquet")}'); copy the data into the repo instead",
            error.Message);
    }

    [Fact]
    public void Resolve_SymlinkedFileInsideTheRepo_IsAllowed()
    {
        _repo.Write("data/real.csv", "a\n1\n");
        File.CreateSymbolicLink(Path.Combine(_repo.Path, "data", "link.csv"), "real.csv");

        var path = RepoPaths.Resolve(_repo.Path, "data/link.csv", "file_source 'x' path");

        Assert.Equal(Path.Combine(_repo.Path, "data", "link.csv"), path);
        Assert.Equal(Path.Combine(_repo.Path, "data", "real.csv"), RepoPaths.RealPath(path));
    }

    [Fact]
    public void RealPath_SymlinkLoop_IsAnErrorNotAHang()
    {
        File.CreateSymbolicLink(Path.Combine(_repo.Path, "a.csv"), "b.csv");
        File.CreateSymbolicLink(Path.Combine(_repo.Path, "b.csv"), "a.csv");

        var error = Assert.Throws<GranaryException>(() => RepoPaths.Resolve(_repo.Path, "a.csv", "file_source 'x' path"));

        Assert.EndsWith("too many levels of symlinks", error.Message, StringComparison.Ordinal);
    }
}
