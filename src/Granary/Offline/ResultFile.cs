namespace Granary.Offline;

/// <summary>
/// Writes a training-data file whole or not at all: checks the extension and folder, lets a writer
/// fill a temp file beside the target, then renames it into place. Every result's WriteAsync uses it.
/// </summary>
public static class ResultFile
{
    /// <summary>
    /// Checks <paramref name="path"/> (.parquet or .csv, in an existing folder), runs
    /// <paramref name="write"/> on a temp file beside it, and renames the temp file to the path.
    /// </summary>
    /// <param name="path">The output file.</param>
    /// <param name="write">Writes the temp file (its path, and whether it is CSV) and returns the number of rows.</param>
    /// <param name="cancellationToken">Cancels the write; the temp file is removed.</param>
    /// <returns>The number of rows <paramref name="write"/> returned.</returns>
    /// <exception cref="GranaryException">The extension is not .parquet or .csv, or the folder does not exist.</exception>
    public static async Task<long> WriteAsync(string path, Func<string, bool, CancellationToken, Task<long>> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var isCsv = Path.GetExtension(full).ToUpperInvariant() switch
        {
            ".PARQUET" => false,
            ".CSV" => true,
            _ => throw new GranaryException($"output '{path}' must end in .parquet or .csv"),
        };
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new GranaryException($"output folder '{directory}' does not exist");
        }

        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var rows = await write(temp, isCsv, cancellationToken).ConfigureAwait(false);
            File.Move(temp, full, overwrite: true);
            return rows;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
