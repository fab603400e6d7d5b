using Granary.DuckDb;
using Granary.Repo;

namespace Granary.DuckDb.Tests;

/// <summary>offline_store: { type: duckdb } as granary.yaml binds it: every key, and mistakes named with their line.</summary>
public sealed class DuckDbOptionsTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("granary-duckdb-options-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private DuckDbOfflineStoreOptions Bind(string section)
    {
        File.WriteAllText(Path.Combine(_repo, "granary.yaml"), $"project: p\noffline_store:\n  type: duckdb\n{section}");
        var config = FeatureRepo.LoadConfig(_repo);
        return ConfigBinder.Bind(new DuckDbOfflineStoreOptions { RepoPath = config.RepoPath }, config.OfflineStore, config);
    }

    [Fact]
    public void Bind_EveryKey_SetsTheOptions()
    {
        var options = Bind("  memory_limit: 512MB\n  threads: 2\n  temp_directory: spill\n  batch_size: 1024\n");

        Assert.Equal(("512MB", 2, Path.Combine(_repo, "spill"), 1024), (options.MemoryLimit, options.Threads, options.TempDirectory, options.BatchSize));
    }

    [Fact]
    public void Bind_NoKeys_KeepsTheDefaults()
    {
        var options = Bind(string.Empty);

        Assert.Equal(("1GB", 0, (string?)null, 65_536), (options.MemoryLimit, options.Threads, options.TempDirectory, options.BatchSize));
    }

    [Theory]
    [InlineData("  memory_limit: lots\n", "granary.yaml:4:17: offline_store.memory_limit: must be an amount such as 512MB or 2GB, not 'lots'")]
    [InlineData("  threads: -1\n", "granary.yaml:4:12: offline_store.threads: must be from 0 to 1,024, not -1")]
    [InlineData("  threads: two\n", "granary.yaml:4:12: offline_store.threads: 'two' is not a whole number")]
    [InlineData("  temp_directory: /tmp\n", "granary.yaml:4:19: offline_store.temp_directory: '/tmp' must be relative to the repo, not absolute")]
    [InlineData("  path: data\n", "granary.yaml:4:9: offline_store.path: unknown key; expected one of: batch_size, memory_limit, temp_directory, threads")]
    public void Bind_Mistake_NamesLineAndKey(string section, string expected)
    {
        var error = Assert.Throws<RepoValidationException>(() => Bind(section));

        Assert.Equal(expected, Assert.Single(error.Errors));
    }
}
