using System.Xml.Linq;
using Granary.Testing;

namespace Granary.Packaging.Tests;

/// <summary>
/// Packs the repository once, as README says (<c>dotnet pack -c Release -o FOLDER</c>), with a version suffix
/// of this run's own, so that nothing cached from another build can stand in for these packages; then installs
/// the tool from that folder into a temp tool path. NuGet's cache is a temp folder too, falling back to the
/// machine's package folder for the third-party packages, so no download is needed.
/// </summary>
public sealed class PackagesFixture : IAsyncLifetime
{
    public PackagesFixture()
    {
        Root = Directory.CreateTempSubdirectory("granary-packages-").FullName;
        Suffix = "test" + Guid.NewGuid().ToString("N")[..8];
        var props = XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Build.props"));
        VersionPrefix = props.Descendants("VersionPrefix").Single().Value;
        RepositoryUrl = props.Descendants("RepositoryUrl").Single().Value;
        Directory.CreateDirectory(PackageFolder);
        Directory.CreateDirectory(NuGetCache);
    }

    public string Root { get; }

    public string Suffix { get; }

    /// <summary>The version of Directory.Build.props, read here independently of the build.</summary>
    public string VersionPrefix { get; }

    public string Version => $"{VersionPrefix}-{Suffix}";

    public string RepositoryUrl { get; }

    public string PackageFolder => Path.Combine(Root, "packages");

    public string ToolPath => Path.Combine(Root, "tools");

    public string Granary => Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "granary.exe" : "granary");

    private string NuGetCache => Path.Combine(Root, "nuget");

    /// <summary>The machine's package folder, where the repository's restore put the third-party packages.</summary>
    public static string MachinePackages =>
        System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The environment of every dotnet call: this run's NuGet cache.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = NuGetCache };

    public DotnetProcess.Result? Pack { get; private set; }

    public DotnetProcess.Result? Install { get; private set; }

    public async Task InitializeAsync()
    {
        Pack = await DotnetProcess.RunAsync(
            "dotnet", RepositoryRoot.Path, new Dictionary<string, string>(),
            "pack", "Granary.slnx", "-c", "Release", "-o", PackageFolder, $"-p:VersionSuffix={Suffix}", "-nodeReuse:false",
            // Build outputs and restore files in this run's folder: the other test projects may still be building in artifacts/.
            $"-p:ArtifactsPath={Path.Combine(Root, "artifacts")}");
        if (Pack.ExitCode != 0)
        {
            return;
        }

        // A nuget.config beside the tool path: the package folder as a source, the machine's packages as a fallback.
        WriteNuGetConfig(Root);
        Install = await DotnetProcess.RunAsync(
            "dotnet", Root, Environment,
            "tool", "install", "Granary.Cli", "--tool-path", ToolPath, "--add-source", PackageFolder, "--version", Version);
    }

    /// <summary>Writes a nuget.config that adds the package folder and falls back to the machine's packages.</summary>
    public void WriteNuGetConfig(string folder) =>
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="granary-local" value="{PackageFolder}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{MachinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may hold a file for a moment; the temp folder is the OS's to clean.
        }

        return Task.CompletedTask;
    }
}
