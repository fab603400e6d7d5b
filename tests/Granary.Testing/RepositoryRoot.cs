namespace Granary.Testing;

/// <summary>The checkout the tests run from: the folder holding Granary.slnx, found upwards from the test assembly.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>The absolute path of the checkout.</summary>
    public static string Path => Root.Value;

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Granary.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Granary.slnx above {AppContext.BaseDirectory}: tests must run from a checkout");
    }
}
