using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Granary.Testing;

namespace Granary.Packaging.Tests;

/// <summary>
/// The packages as someone outside this repository gets them: their metadata, symbols and native libraries,
/// the tool installed from the package folder, and a new app built against the libraries.
/// </summary>
public sealed class PackagesTests(PackagesFixture packages) : IClassFixture<PackagesFixture>
{
    private static readonly string[] Libraries = ["Granary", "Granary.DuckDb", "Granary.Sqlite", "Granary.Redis", "Granary.Postgres", "Granary.Hosting", "Granary.Server", "Granary.Ui", "Granary.Reports"];

    /// <summary>SourceLink's custom debug information in a portable PDB.</summary>
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    private void AssertPacked() => Assert.True(packages.Pack?.ExitCode == 0, packages.Pack?.Output);

    private string PackagePath(string id, string extension = "nupkg") => Path.Combine(packages.PackageFolder, $"{id}.{packages.Version}.{extension}");

    private static XElement Metadata(ZipArchive package)
    {
        var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string? Value(XElement metadata, string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    [Fact]
    public void Pack_TheNineLibrariesAndTheTool_NothingElse()
    {
        AssertPacked();

        var packed = Directory.GetFiles(packages.PackageFolder, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal([.. Libraries.Append("Granary.Cli").Select(id => $"{id}.{packages.Version}.nupkg").Order(StringComparer.Ordinal)], packed);
    }

    [Theory]
    [InlineData("Granary")]
    [InlineData("Granary.DuckDb")]
    [InlineData("Granary.Sqlite")]
    [InlineData("Granary.Redis")]
    [InlineData("Granary.Postgres")]
    [InlineData("Granary.Hosting")]
    [InlineData("Granary.Server")]
    [InlineData("Granary.Ui")]
    [InlineData("Granary.Reports")]
    [InlineData("Granary.Cli")]
    public void Package_PageMetadata_LicenseReadmeDescriptionTagsRepository(string id)
    {
        AssertPacked();
        using var package = ZipFile.OpenRead(PackagePath(id));

        var metadata = Metadata(package);

        Assert.Equal(packages.Version, Value(metadata, "version"));
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal(("expression", "MIT"), (license.Attribute("type")?.Value, license.Value));
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Contains(package.Entries, e => e.FullName == "README.md");
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")));
        Assert.Contains("feature-store", Value(metadata, "tags")!.Split(' '));
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal(packages.RepositoryUrl, repository.Attribute("url")?.Value);
        Assert.Equal(Head(), repository.Attribute("commit")?.Value);
    }

    [Theory]
    [InlineData("Granary")]
    [InlineData("Granary.DuckDb")]
    [InlineData("Granary.Sqlite")]
    [InlineData("Granary.Redis")]
    [InlineData("Granary.Postgres")]
    [InlineData("Granary.Hosting")]
    [InlineData("Granary.Server")]
    [InlineData("Granary.Ui")]
    [InlineData("Granary.Reports")]
    public void Library_DeterministicWithXmlDocsAndSymbolsLinkedToTheSources(string id)
    {
        AssertPacked();
        using var package = ZipFile.OpenRead(PackagePath(id));
        using var symbols = ZipFile.OpenRead(PackagePath(id, "snupkg"));

        Assert.Contains(package.Entries, e => e.FullName == $"lib/net10.0/{id}.xml");
        using (var pe = new PEReader(Seekable(package.GetEntry($"lib/net10.0/{id}.dll")!)))
        {
            Assert.Contains(pe.ReadDebugDirectory(), entry => entry.Type == DebugDirectoryEntryType.Reproducible);
        }

        using var pdb = MetadataReaderProvider.FromPortablePdbStream(Seekable(symbols.GetEntry($"lib/net10.0/{id}.pdb")!));
        var reader = pdb.GetMetadataReader();
        var sourceLink = reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Select(reader.GetCustomDebugInformation)
            .Single(info => reader.GetGuid(info.Kind) == SourceLinkKind);
        using var json = JsonDocument.Parse(reader.GetBlobBytes(sourceLink.Value));
        var target = json.RootElement.GetProperty("documents").EnumerateObject().Single().Value.GetString();
        var repository = new Uri(packages.RepositoryUrl).AbsolutePath.Trim('/');
        Assert.Equal($"https://raw.githubusercontent.com/{repository}/{Head()}/*", target);
    }

    [Theory]
    [InlineData("Granary.DuckDb", "DuckDB.NET.Data.Full")]
    [InlineData("Granary.Sqlite", "Microsoft.Data.Sqlite")]
    public void Library_NativeEngineComesThroughItsOwnPackage(string id, string dependency)
    {
        AssertPacked();
        using var package = ZipFile.OpenRead(PackagePath(id));

        var dependencies = Metadata(package).Descendants().Where(e => e.Name.LocalName == "dependency").ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value);

        // The engine package carries the native library of every platform in its runtimes/ folder; ours carries none.
        Assert.Contains(dependency, dependencies.Keys);
        Assert.Equal(packages.Version, dependencies["Granary"]);
        Assert.DoesNotContain(package.Entries, e => e.FullName.StartsWith("runtimes/", StringComparison.Ordinal));
    }

    [Fact]
    public void Tool_PortableWithTheNativeLibrariesOfTheFourPlatforms()
    {
        AssertPacked();
        using var package = ZipFile.OpenRead(PackagePath("Granary.Cli"));

        var settings = package.GetEntry("tools/net10.0/any/DotnetToolSettings.xml");
        var natives = package.Entries.Where(e => e.FullName.Contains("/runtimes/", StringComparison.Ordinal) && e.FullName.Contains("/native/", StringComparison.Ordinal))
            .Select(e => e.FullName["tools/net10.0/any/runtimes/".Length..])
            .Order(StringComparer.Ordinal);

        Assert.NotNull(settings);
        using (var stream = settings.Open())
        {
            Assert.Equal("granary", XDocument.Load(stream).Descendants("Command").Single().Attribute("Name")?.Value);
        }

        // DuckDB's, SkiaSharp's and HarfBuzzSharp's macOS libraries are universal files under "osx", which
        // osx-arm64 resolves to. SkiaSharp and HarfBuzzSharp draw the reports' charts (ScottPlot).
        Assert.Equal(
            [
                "linux-arm64/native/libHarfBuzzSharp.so", "linux-arm64/native/libSkiaSharp.so", "linux-arm64/native/libduckdb.so", "linux-arm64/native/libe_sqlite3.so",
                "linux-x64/native/libHarfBuzzSharp.so", "linux-x64/native/libSkiaSharp.so", "linux-x64/native/libduckdb.so", "linux-x64/native/libe_sqlite3.so",
                "osx-arm64/native/libe_sqlite3.dylib", "osx/native/libHarfBuzzSharp.dylib", "osx/native/libSkiaSharp.dylib", "osx/native/libduckdb.dylib",
                "win-x64/native/duckdb.dll", "win-x64/native/e_sqlite3.dll", "win-x64/native/libHarfBuzzSharp.dll", "win-x64/native/libSkiaSharp.dll",
            ],
            natives);
    }

    [Fact]
    public async Task Tool_InstalledFromTheFolder_InitApplyAndTrainingData()
    {
        AssertPacked();
        Assert.True(packages.Install?.ExitCode == 0, packages.Install?.Output);
        var work = Directory.CreateTempSubdirectory("granary-tool-").FullName;
        try
        {
            var version = await Granary(work, "version");
            var init = await Granary(work, "init", "tool_demo");
            var repo = Path.Combine(work, "tool_demo");
            var apply = await Granary(repo, "apply");
            var training = await Granary(repo, "get-historical-features", "--entities", "data/driver_orders.csv", "--feature-service", "driver_activity", "--output", "training.csv");

            Assert.Equal($"granary {packages.Version}\n", version.Stdout);
            Assert.True(init.ExitCode == 0, init.Output);
            Assert.True(apply.ExitCode == 0, apply.Output);
            Assert.True(training.ExitCode == 0, training.Output);
            // One training row per entity row, and the header.
            var orders = File.ReadAllLines(Path.Combine(repo, "data", "driver_orders.csv")).Length - 1;
            Assert.Equal(orders + 1, File.ReadAllLines(Path.Combine(repo, "training.csv")).Length);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task ConsoleApp_ReferencingTheLibrariesFromTheFolder_ReadsOnlineFeatures()
    {
        AssertPacked();
        Assert.True(packages.Install?.ExitCode == 0, packages.Install?.Output);
        var work = Directory.CreateTempSubdirectory("granary-app-").FullName;
        try
        {
            // A repo with materialized features, made by the installed tool.
            Assert.Equal(0, (await Granary(work, "init", "app_demo")).ExitCode);
            var repo = Path.Combine(work, "app_demo");
            Assert.Equal(0, (await Granary(repo, "apply")).ExitCode);
            Assert.Equal(0, (await Granary(repo, "materialize", "2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z")).ExitCode);
            var expected = await Granary(repo, "get-online-features", "--feature-service", "driver_activity", "--entity", "driver_id=1001");
            Assert.True(expected.ExitCode == 0, expected.Output);

            // A new console app outside the repository: only Granary and Granary.Sqlite, from the package folder.
            var app = Path.Combine(work, "reader");
            Directory.CreateDirectory(app);
            packages.WriteNuGetConfig(app);
            File.WriteAllText(Path.Combine(app, "reader.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Granary" Version="{packages.Version}" />
                    <PackageReference Include="Granary.Sqlite" Version="{packages.Version}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using Granary;
                using Granary.Online;
                using Granary.Repo;

                // Serving only: the repo's offline store (DuckDB) is not installed here, and not needed.
                await using var store = new FeatureStoreBuilder(FeatureRepo.LoadConfig(args[0])).AddSqlite().Build();
                var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
                {
                    FeatureService = "driver_activity",
                    // The key as the CLI's --entity driver_id=1001 gives it (text, converted to the key's type), so that the answers match byte for byte.
                    Entities = new Dictionary<string, IReadOnlyList<object?>> { ["driver_id"] = ["1001"] },
                });
                Console.WriteLine(OnlineResponseJson.Serialize(response));
                """);

            var build = await DotnetProcess.RunAsync("dotnet", app, packages.Environment, "build", "-c", "Release", "-nodeReuse:false");
            Assert.True(build.ExitCode == 0, build.Output);
            var assets = File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"));
            var read = await DotnetProcess.RunAsync("dotnet", app, packages.Environment, Path.Combine(app, "bin", "Release", "net10.0", "reader.dll"), repo);

            // The libraries came from the package folder (only it has this version), restored into this run's cache.
            Assert.Contains($"\"Granary/{packages.Version}\"", assets, StringComparison.Ordinal);
            Assert.Contains($"\"Granary.Sqlite/{packages.Version}\"", assets, StringComparison.Ordinal);
            Assert.True(read.ExitCode == 0, read.Output);
            Assert.Equal(expected.Stdout, read.Stdout);
            Assert.Contains("\"PRESENT\"", read.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private Task<DotnetProcess.Result> Granary(string workingDirectory, params string[] args) =>
        DotnetProcess.RunAsync(packages.Granary, workingDirectory, packages.Environment, args);

    private static string Head() =>
        File.ReadAllText(GitFile("HEAD")).Trim() is var head && head.StartsWith("ref: ", StringComparison.Ordinal)
            ? ResolveRef(head["ref: ".Length..])
            : File.ReadAllText(GitFile("HEAD")).Trim();

    private static string ResolveRef(string name)
    {
        var loose = GitFile(name, common: true);
        if (File.Exists(loose))
        {
            return File.ReadAllText(loose).Trim();
        }

        var packed = File.ReadAllLines(GitFile("packed-refs", common: true)).First(l => l.EndsWith(" " + name, StringComparison.Ordinal));
        return packed.Split(' ')[0];
    }

    /// <summary>A file of the checkout's git directory (a worktree's own, or the common one for refs).</summary>
    private static string GitFile(string name, bool common = false)
    {
        var git = Path.Combine(RepositoryRoot.Path, ".git");
        if (File.Exists(git))
        {
            // A worktree: ".git" is a file naming its git directory, whose "commondir" names the shared one.
            git = Path.GetFullPath(File.ReadAllText(git).Trim()["gitdir: ".Length..], RepositoryRoot.Path);
            if (common && File.Exists(Path.Combine(git, "commondir")))
            {
                git = Path.GetFullPath(File.ReadAllText(Path.Combine(git, "commondir")).Trim(), git);
            }
        }

        return Path.Combine(git, name);
    }

    private static MemoryStream Seekable(ZipArchiveEntry entry)
    {
        var memory = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(memory);
        }

        memory.Position = 0;
        return memory;
    }
}
