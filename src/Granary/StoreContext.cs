using Granary.Repo;
using Microsoft.Extensions.Logging;

namespace Granary;

/// <summary>What a backend factory receives to build a store from a <c>granary.yaml</c> section.</summary>
/// <param name="Repo">The repo configuration.</param>
/// <param name="Section">The store's section.</param>
/// <param name="TimeProvider">The clock.</param>
/// <param name="LoggerFactory">Where stores log.</param>
public sealed record StoreContext(RepoConfig Repo, StoreConfig Section, TimeProvider TimeProvider, ILoggerFactory LoggerFactory);
