namespace Granary.Testing;

/// <summary>A copy of the corpus's base repo (<c>tests/corpus/base</c>) in a temp folder, deleted on dispose.</summary>
public sealed class CorpusRepo : IDisposable
{
    public CorpusRepo()
    {
        Path = Directory.CreateTempSubdirectory("granary-corpus-").FullName;
        var from = System.IO.Path.Combine(CorpusCase.Folder, "base");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(Path, System.IO.Path.GetRelativePath(from, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> at <paramref name="relative"/>, creating its folders.</summary>
    public void Write(string relative, byte[] content)
    {
        var target = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target, content);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server process may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
