using System.ComponentModel.DataAnnotations;
using Granary.Repo;

namespace Granary.Tests.Repo;

/// <summary>The one options binder: every key bound by type, unknown keys, bad values and ranges named with granary.yaml's line.</summary>
public sealed class ConfigBinderTests : IDisposable
{
    private readonly TempRepo _repo = new("binder");

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Bind_EveryKindOfValue_SetsThePropertiesAndResolvesPaths()
    {
        var options = Bind("""
              batch_size: 500
              big: 5000000000
              ratio: 0.25
              enabled: true
              name: reports
              wait: 1h30m
              poll_seconds: 2.5
              timeout_ms: 250
              folder: data/spill
            """);

        Assert.Equal((500, 5_000_000_000L, 0.25, true, "reports"), (options.BatchSize, options.Big, options.Ratio, options.Enabled, options.Name));
        Assert.Equal((TimeSpan.FromMinutes(90), TimeSpan.FromSeconds(2.5), TimeSpan.FromMilliseconds(250)), (options.Wait, options.Poll, options.Timeout));
        Assert.Equal(Path.Combine(_repo.Path, "data", "spill"), options.Folder);
        Assert.Equal(Path.Combine(_repo.Path, "data", "default.db"), options.File);
    }

    [Fact]
    public void Bind_UnknownKey_NamesFileLineAndTheKnownKeys()
    {
        var error = Assert.Throws<RepoValidationException>(() => Bind("""
              batch_size: 500
              batchsize: 5
            """));

        var line = Assert.Single(error.Errors);
        Assert.Equal(
            "granary.yaml:5:14: online_store.batchsize: unknown key; expected one of: batch_size, big, enabled, file, folder, name, poll_seconds, ratio, timeout_ms, wait",
            line);
    }

    [Theory]
    [InlineData("batch_size: ten", "granary.yaml:4:15: online_store.batch_size: 'ten' is not a whole number")]
    [InlineData("batch_size: 1.5", "granary.yaml:4:15: online_store.batch_size: '1.5' is not a whole number")]
    [InlineData("enabled: maybe", "granary.yaml:4:12: online_store.enabled: 'maybe' is not true or false")]
    [InlineData("wait: soon", "granary.yaml:4:9: online_store.wait: 'soon' is not a duration such as 30s, 5m, 1h or 0")]
    [InlineData("timeout_ms: fast", "granary.yaml:4:15: online_store.timeout_ms: 'fast' is not a number of milliseconds")]
    [InlineData("batch_size: [1, 2]", "granary.yaml:4:15: online_store.batch_size: must be a single value, not a list or mapping")]
    public void Bind_ValueOfTheWrongType_NamesLineKeyAndWhatWasExpected(string line, string expected)
    {
        var error = Assert.Throws<RepoValidationException>(() => Bind(line));

        Assert.Equal(expected, Assert.Single(error.Errors));
    }

    [Theory]
    [InlineData("batch_size: 0", "granary.yaml:4:15: online_store.batch_size: must be from 1 to 10,000, not 0")]
    [InlineData("batch_size: 10001", "granary.yaml:4:15: online_store.batch_size: must be from 1 to 10,000, not 10,001")]
    [InlineData("timeout_ms: 5", "granary.yaml:4:15: online_store.timeout_ms: must be from 10 to 60,000, not 5")]
    [InlineData("poll_seconds: 7200", "granary.yaml:4:17: online_store.poll_seconds: must be from 0.1 to 3,600, not 7,200")]
    [InlineData("wait: 2d", "granary.yaml:4:9: online_store.wait: must be from 0 to 1d, not 2d")]
    [InlineData("name: ''", "granary.yaml:4:9: online_store.name: is required")]
    [InlineData("folder: ../outside", "granary.yaml:4:11: online_store.folder: '../outside' leaves the repo folder")]
    public void Bind_ValueOutOfItsRange_NamesLineKeyAndTheRange(string line, string expected)
    {
        var error = Assert.Throws<RepoValidationException>(() => Bind(line));

        Assert.Equal(expected, Assert.Single(error.Errors));
    }

    [Fact]
    public void Bind_SeveralMistakes_ReportsEachOnItsOwnLine()
    {
        var error = Assert.Throws<RepoValidationException>(() => Bind("""
              batch_size: many
              wait: later
              colour: red
            """));

        Assert.Equal(3, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.StartsWith("granary.yaml:6:11: online_store.colour: unknown key", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_OptionsBuiltInCode_NamesTheKeyAndTheRange()
    {
        var error = Assert.Throws<GranaryException>(() => ConfigBinder.Validate(new SampleOptions { BatchSize = 0 }, "sample store"));

        Assert.Equal("sample store: batch_size: must be from 1 to 10,000, not 0", error.Message);
    }

    [Fact]
    public void Validate_ValidatableObject_ReportsItsOwnRule()
    {
        var error = Assert.Throws<GranaryException>(() => ConfigBinder.Validate(new SampleOptions { Ratio = 0.5, Enabled = false, Name = "x" }, "sample store"));

        Assert.Equal("sample store: ratio: must be 0 when enabled is false", error.Message);
    }

    private SampleOptions Bind(string keys)
    {
        _repo.Write("granary.yaml", $"project: binder\nonline_store:\n  type: sample\n{Indent(keys)}");
        var config = FeatureRepo.LoadConfig(_repo.Path);
        return ConfigBinder.Bind(new SampleOptions(), config.OnlineStore, config);
    }

    private static string Indent(string keys) =>
        string.Concat(keys.Split('\n').Select(l => "  " + l.Trim() + "\n"));

    /// <summary>Options of every kind the binder reads, with ranges, a required key, paths and a rule of their own.</summary>
    private sealed class SampleOptions : IValidatableObject
    {
        [YamlKey("batch_size")]
        [Range(1, 10_000)]
        public int BatchSize { get; set; } = 100;

        [YamlKey("big")]
        public long Big { get; set; }

        [YamlKey("ratio")]
        public double Ratio { get; set; }

        [YamlKey("enabled")]
        public bool Enabled { get; set; } = true;

        [YamlKey("name")]
        [Required]
        public string Name { get; set; } = "default";

        [YamlKey("wait")]
        [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
        public TimeSpan Wait { get; set; }

        [YamlKey("poll_seconds", Format = DurationFormat.Seconds)]
        [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
        public TimeSpan Poll { get; set; } = TimeSpan.FromSeconds(5);

        [YamlKey("timeout_ms", Format = DurationFormat.Milliseconds)]
        [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

        [YamlKey("folder", RepoPath = true)]
        public string? Folder { get; set; }

        [YamlKey("file", RepoPath = true)]
        public string File { get; set; } = "data/default.db";

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (!Enabled && Ratio != 0)
            {
                yield return new ValidationResult("must be 0 when enabled is false", [nameof(Ratio)]);
            }
        }
    }
}
