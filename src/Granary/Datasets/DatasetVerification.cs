namespace Granary.Datasets;

/// <summary>What <c>granary dataset verify</c> found when it recomputed a dataset.</summary>
/// <param name="Name">The dataset.</param>
/// <param name="Matches">Whether the recomputed data equals the recorded data (rows and content).</param>
/// <param name="RecordedRows">The manifest's row count.</param>
/// <param name="RecomputedRows">The rows computed now.</param>
/// <param name="RecordedSha256">The manifest's content digest.</param>
/// <param name="RecomputedSha256">The content digest of the rows computed now.</param>
/// <param name="StoredFileIntact">Whether the data file still has the recorded content; null when it is gone.</param>
/// <param name="EntityFileChanged">Whether the entity file's bytes changed since creation (or it is gone); null for entity rows not from a file.</param>
/// <param name="Columns">Per column of the data, how many rows differ (all of them when the row counts differ).</param>
public sealed record DatasetVerification(
    string Name, bool Matches, long RecordedRows, long RecomputedRows, string RecordedSha256, string RecomputedSha256,
    bool? StoredFileIntact, bool? EntityFileChanged, IReadOnlyList<ColumnChange> Columns);
