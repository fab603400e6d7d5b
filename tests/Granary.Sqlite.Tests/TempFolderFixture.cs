namespace Granary.Sqlite.Tests;

/// <summary>A folder of its own for a test class, deleted afterwards.</summary>
public sealed class TempFolderFixture : IDisposable
{
    public TempFolderFixture()
    {
        Path = Directory.CreateTempSubdirectory("granary-sqlite-").FullName;
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
