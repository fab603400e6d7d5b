namespace Granary.Tests.Repo;

/// <summary>A feature repo in a temp folder, deleted on dispose.</summary>
internal sealed class TempRepo : IDisposable
{
    public TempRepo(string project = "test_project")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "granary-repo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        Write("granary.yaml", $"project: {project}\n");
    }

    public string Path { get; }

    public TempRepo Write(string relative, string text)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return this;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
