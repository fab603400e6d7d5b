using System.Runtime.InteropServices;

namespace Granary.FeatureLogs;

/// <summary>
/// The thread that writes feature logs: one background thread at a lower scheduling priority than the
/// threads serving reads. A flush is a burst of CPU (building a Parquet file of thousands of rows); on a
/// busy server the operating system then runs it in the time that serving leaves over, instead of taking
/// a core from the reads for the length of the burst.
/// </summary>
internal static class FeatureLogWriterThread
{
    /// <summary>The nice value of the writer on Linux (0 is normal, 19 the lowest priority).</summary>
    public const int LinuxNice = 10;

    /// <summary>Runs <paramref name="loop"/> on a new background thread; the task ends when the loop returns or throws.</summary>
    public static Task Start(Action loop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            LowerPriority();
            try
            {
                loop();
                done.SetResult();
            }
#pragma warning disable CA1031 // Handed to whoever awaits the writer (the store's disposal).
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "Granary feature log writer",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>
    /// Lowers the calling thread's priority: its nice value on Linux (which .NET's thread priority does not set
    /// there; raising a nice value needs no privilege), the thread priority elsewhere. Best effort: a platform
    /// that refuses leaves the thread at normal priority.
    /// </summary>
    private static void LowerPriority()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                // PRIO_PROCESS with a thread id sets that thread's nice value on Linux.
                _ = SetPriority(0, GetThreadId(), LinuxNice);
            }
            else
            {
                Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
            }
        }
#pragma warning disable CA1031 // A libc without gettid, or a platform without priorities: the writer runs at normal priority.
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException or PlatformNotSupportedException)
#pragma warning restore CA1031
        {
        }
    }

    // Plain int arguments and results: nothing to marshal, so DllImport needs no generated stubs (and the
    // assembly no unsafe code, which LibraryImport would ask for).
    [DllImport("libc", EntryPoint = "setpriority")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int GetThreadId();
}
