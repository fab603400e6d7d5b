namespace Granary.Definitions;

/// <summary>
/// A table that a pipeline produces and feature views read: rows with event timestamps. Each kind
/// of source is a record derived from this one, known to a host through <see cref="SourceKinds"/>.
/// </summary>
public abstract record DataSource : Definition
{
    /// <summary>The column with each row's event time (after field mapping).</summary>
    public string TimestampField { get; init => field = value ?? "event_timestamp"; } = "event_timestamp";

    /// <summary>Optional column with the time a row was written; it breaks ties between equal event times.</summary>
    public string? CreatedTimestampColumn { get; init; }

    /// <summary>Renames: source column to the name used in Granary.</summary>
    public IReadOnlyDictionary<string, string> FieldMapping { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();

    /// <summary>The source column that holds the Granary column <paramref name="name"/>.</summary>
    public string SourceColumn(string name)
    {
        foreach (var (source, target) in FieldMapping)
        {
            if (target == name)
            {
                return source;
            }
        }

        return name;
    }
}
