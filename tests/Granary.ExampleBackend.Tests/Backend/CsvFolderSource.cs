using Granary.Definitions;
using Granary.Repo;

namespace Granary.ExampleBackend.Tests.Backend;

/// <summary>
/// A source kept as a folder of CSV files, read by <see cref="CsvFolderOfflineStore"/>: every
/// <c>*.csv</c> file of <see cref="Folder"/>, each with a header line naming the columns of
/// <see cref="Schema"/> (in any order). CSV carries no types, so the source declares them.
/// </summary>
/// <example>
/// <code>
/// kind: csv_folder_source
/// name: trips
/// folder: data/trips
/// schema:
///   - { name: driver_id, dtype: int64 }
///   - { name: event_timestamp, dtype: unix_timestamp }
///   - { name: conv_rate, dtype: float32 }
/// </code>
/// </example>
public sealed record CsvFolderSource : DataSource
{
    /// <summary>The YAML kind.</summary>
    public const string KindName = "csv_folder_source";

    /// <summary>The scalar types a CSV value can be read as; lists and bytes have no CSV form here.</summary>
    private static readonly ScalarType[] Readable =
        [ScalarType.Int32, ScalarType.Int64, ScalarType.Float32, ScalarType.Float64, ScalarType.String, ScalarType.Bool, ScalarType.UnixTimestamp];

    /// <summary>
    /// The kind: YAML <c>csv_folder_source</c>, registry discriminator <c>csv_folder</c> (never changed
    /// once a registry holds it), and the parser of its own keys, <c>folder</c> and <c>schema</c>.
    /// </summary>
    public static SourceKind SourceKind { get; } = new(KindName, "csv_folder", typeof(CsvFolderSource), Parse);

    /// <summary>The folder, relative to the repo (which it may not leave).</summary>
    public required string Folder { get; init; }

    /// <summary>The columns as the files name them (before field mapping), with the types their values are read as.</summary>
    public required IReadOnlyList<Field> Schema { get; init; }

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <summary>Reads <c>folder</c> and <c>schema</c>; each mistake is reported with its file, line and column.</summary>
    private static CsvFolderSource Parse(YamlSection yaml, string name)
    {
        var folder = yaml.String("folder", required: true) ?? string.Empty;
        if (Path.IsPathRooted(folder))
        {
            yaml.Error("folder", $"'{folder}' must be relative to the repo, not absolute");
        }

        var columns = new List<Field>();
        foreach (var (node, item) in yaml.MappingList("schema", required: true, "column"))
        {
            if (item is null)
            {
                yaml.Error(node, "each schema entry must be a mapping such as { name: driver_id, dtype: int64 }");
                continue;
            }

            var column = item.String("name", required: true);
            var dtype = item.String("dtype", required: true);
            item.RejectUnknownKeys();
            if (column is null || dtype is null)
            {
                continue;
            }

            if (!DataType.TryParse(dtype, out var type) || type.Value.IsList || !Readable.Contains(type.Value.Scalar))
            {
                item.Error("dtype", $"column '{column}' has dtype '{dtype}'; a CSV value is read as one of: {string.Join(", ", Readable.Select(s => new DataType(s)))}");
            }
            else if (columns.Any(c => c.Name == column))
            {
                item.Error("name", $"column '{column}' is declared twice");
            }
            else
            {
                columns.Add(new Field { Name = column, Dtype = type.Value });
            }
        }

        return new CsvFolderSource { Name = name, Folder = folder, Schema = columns };
    }
}
