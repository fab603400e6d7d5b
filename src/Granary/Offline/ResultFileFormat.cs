namespace Granary.Offline;

/// <summary>The format of a result file, chosen by its extension.</summary>
public enum ResultFileFormat
{
    /// <summary><c>.parquet</c>.</summary>
    Parquet,

    /// <summary><c>.csv</c>: a header, ISO-8601 UTC times, empty fields for nulls.</summary>
    Csv,
}
