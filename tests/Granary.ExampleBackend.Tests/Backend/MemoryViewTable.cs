using System.Collections.Concurrent;
using Granary.Online;

namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>
/// One view's online rows in a <see cref="MemoryDatabase"/>, for one schema fingerprint: rows written
/// under another list of features are never in the same table, so they are never decoded as this one's.
/// </summary>
/// <param name="Fingerprint">The view's features as <see cref="OnlineSchema.Entries"/> gives them.</param>
internal sealed record MemoryViewTable(string Fingerprint)
{
    /// <summary>Each entity's latest row; a row is replaced whole, so readers never see half of a write.</summary>
    public ConcurrentDictionary<EntityKey, StoredRow> Rows { get; } = new();

    /// <summary>The fingerprint of <paramref name="view"/>'s stored rows.</summary>
    public static string FingerprintOf(Definitions.FeatureView view) => string.Join(",", OnlineSchema.Entries(view, ":"));
}
