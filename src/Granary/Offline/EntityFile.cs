namespace Granary.Offline;

/// <summary>Entity rows in a Parquet (<c>.parquet</c>) or CSV (<c>.csv</c>) file.</summary>
/// <param name="Path">The file's absolute path.</param>
public sealed record EntityFile(string Path) : EntityInput;
