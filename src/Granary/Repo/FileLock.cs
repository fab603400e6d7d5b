namespace Granary.Repo;

/// <summary>
/// An exclusive lock between processes on one machine, held as an open lock file: for the
/// read-modify-write of files that several processes may change (the registry file, an appended
/// source file). The lock file is left in place; removing it on release would let two waiters
/// each lock a different file.
/// </summary>
public static class FileLock
{
    /// <summary>How long <see cref="AcquireAsync"/> waits unless told otherwise: 30 seconds.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Opens <paramref name="lockPath"/> exclusively, retrying until <paramref name="timeout"/>;
    /// dispose the stream to release the lock.
    /// </summary>
    /// <param name="lockPath">The lock file, usually the guarded file's path plus <c>.lock</c>.</param>
    /// <param name="what">What is locked, for the error message (for example <c>the registry</c>).</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="GranaryException">The lock stayed taken for the whole timeout.</exception>
    public static async Task<FileStream> AcquireAsync(
        string lockPath, string what, TimeSpan timeout, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lockPath);
        var time = timeProvider ?? TimeProvider.System;
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (time.GetElapsedTime(started) < timeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new GranaryException($"{lockPath}: {what} stayed locked for {timeout.TotalSeconds:0} s; is another process stuck?", e);
            }
        }
    }
}
