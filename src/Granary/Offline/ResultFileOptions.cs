namespace Granary.Offline;

/// <summary>What writing a result file may replace.</summary>
public sealed record ResultFileOptions
{
    /// <summary>Replace an existing file, protect nothing: what a caller that names a path in code means.</summary>
    public static ResultFileOptions Default { get; } = new();

    /// <summary>
    /// Whether an existing file (that is not protected) may be replaced. Default true; the CLI sets it
    /// from <c>--force</c>, so that a typo cannot silently destroy a file.
    /// </summary>
    public bool Overwrite { get; init; } = true;

    /// <summary>
    /// Files never replaced, whatever <see cref="Overwrite"/> says: the entity input a result was
    /// made from, the files of the repo's sources. Default none.
    /// </summary>
    public IReadOnlyList<ProtectedFile> Protected { get; init; } = [];
}
