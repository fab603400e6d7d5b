using System.Text.Json;
using Granary.Registry;
using Granary.Statistics;

namespace Granary.Datasets;

/// <summary><c>granary dataset describe</c> and <c>verify</c> as JSON: the manifest as the registry keeps it, and the verification's findings.</summary>
public static class DatasetJson
{
    /// <summary>The manifest: every field in snake_case, as the registry stores it.</summary>
    public static string Describe(SavedDataset dataset) => RegistryJson.Serialize(dataset);

    /// <summary>
    /// <c>{"name", "matches", "recorded_rows", "recomputed_rows", "recorded_sha256", "recomputed_sha256",
    /// "stored_file_intact", "entity_file_changed", "columns": [{"column", "changed_rows"}]}</c>.
    /// </summary>
    public static string Verification(DatasetVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return ReportJson.Serialize(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name", verification.Name);
            writer.WriteBoolean("matches", verification.Matches);
            writer.WriteNumber("recorded_rows", verification.RecordedRows);
            writer.WriteNumber("recomputed_rows", verification.RecomputedRows);
            writer.WriteString("recorded_sha256", verification.RecordedSha256);
            writer.WriteString("recomputed_sha256", verification.RecomputedSha256);
            Flag(writer, "stored_file_intact", verification.StoredFileIntact);
            Flag(writer, "entity_file_changed", verification.EntityFileChanged);
            writer.WriteStartArray("columns");
            foreach (var column in verification.Columns)
            {
                writer.WriteStartObject();
                writer.WriteString("column", column.Column);
                writer.WriteNumber("changed_rows", column.ChangedRows);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static void Flag(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } v)
        {
            writer.WriteBoolean(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
