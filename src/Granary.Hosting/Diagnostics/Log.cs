using Microsoft.Extensions.Logging;

namespace Granary.Hosting.Diagnostics;

/// <summary>
/// Every log message of Granary.Hosting, with its event id: ids 1100-1199 are assigned here and nowhere
/// else (the core has 100-199, the feature server 1000-1099, the backends 2000-2999).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Serving version {Version} of project '{Project}' from the registry")]
    public static partial void RegistryLoaded(ILogger logger, string project, long version);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Registry refresh failed; still serving version {Version}: {Reason}")]
    public static partial void RegistryRefreshFailed(ILogger logger, long version, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Opened feature repo {RepoPath} (project '{Project}')")]
    public static partial void StoreBuilt(ILogger logger, string repoPath, string project);
}
