namespace Granary.Offline;

/// <summary>
/// The one writer of training-data files: checks the target (extension, folder, what it may replace),
/// lets a writer fill a temp file beside it, then renames the temp file into place, so the file
/// appears whole or not at all. Every <see cref="RetrievalResult"/> writes through it.
/// </summary>
public static class ResultFile
{
    /// <summary>
    /// Checks that <paramref name="path"/> can be written under <paramref name="options"/>: it ends in
    /// .parquet or .csv, is not a folder, its folder exists, it is not protected, and it does not exist
    /// unless it may be replaced. Callers check before expensive work; <see cref="WriteAsync"/> checks again.
    /// </summary>
    /// <returns>The format the extension names.</returns>
    /// <exception cref="GranaryException">A check failed; the message says which and what to do.</exception>
    public static ResultFileFormat Check(string path, ResultFileOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full) || Path.EndsInDirectorySeparator(path))
        {
            throw new GranaryException($"output '{path}' is a folder; name a .parquet or .csv file to write");
        }

        var format = Path.GetExtension(full).ToUpperInvariant() switch
        {
            ".PARQUET" => ResultFileFormat.Parquet,
            ".CSV" => ResultFileFormat.Csv,
            _ => throw new GranaryException($"output '{path}' must end in .parquet or .csv"),
        };
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new GranaryException($"output folder '{directory}' does not exist");
        }

        var target = new FileInfo(full).LinkTarget is null ? full : new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        foreach (var file in options.Protected)
        {
            if (file.Matches(full) || file.Matches(target))
            {
                throw new GranaryException($"output '{path}' is {file.What}; refusing to overwrite it, name another file");
            }
        }

        if (!options.Overwrite && File.Exists(full))
        {
            throw Exists(path);
        }

        return format;
    }

    /// <summary>
    /// Checks <paramref name="path"/> (see <see cref="Check"/>), runs <paramref name="write"/> on a temp
    /// file beside it, and renames the temp file to the path.
    /// </summary>
    /// <param name="path">The output file.</param>
    /// <param name="options">What the file may replace.</param>
    /// <param name="write">Writes the temp file (its path, in the given format) and returns the number of rows.</param>
    /// <param name="cancellationToken">Cancels the write; the temp file is removed.</param>
    /// <returns>The number of rows <paramref name="write"/> returned.</returns>
    /// <exception cref="GranaryException">A check failed, or the file could not be written; nothing was replaced.</exception>
    public static async Task<long> WriteAsync(
        string path, ResultFileOptions options, Func<string, ResultFileFormat, CancellationToken, Task<long>> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var format = Check(path, options);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            long rows;
            try
            {
                rows = await write(temp, format, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new GranaryException($"cannot write output '{path}': {e.Message}", e);
            }

            // The write may have taken minutes: what was true of the target before may not be now.
            Check(path, options);
            try
            {
                File.Move(temp, full, options.Overwrite);
            }
            catch (IOException) when (!options.Overwrite && File.Exists(full))
            {
                throw Exists(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new GranaryException($"cannot write output '{path}': {e.Message}", e);
            }

            return rows;
        }
        finally
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The temp file's folder went away; there is nothing left to clean.
            }
        }
    }

    private static GranaryException Exists(string path) => new($"output '{path}' exists; use --force to replace it");
}
