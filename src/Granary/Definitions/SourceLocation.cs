namespace Granary.Definitions;

/// <summary>Where a definition or one of its keys was written: a file relative to the repo, line and column from 1.</summary>
/// <param name="File">The file, relative to the repo root.</param>
/// <param name="Line">The line, from 1.</param>
/// <param name="Column">The column, from 1.</param>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc/>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
