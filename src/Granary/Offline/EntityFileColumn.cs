namespace Granary.Offline;

/// <summary>One column of <see cref="EntityFiles"/>: a file column, under the name the entity rows give it.</summary>
/// <param name="Name">The entity column's name.</param>
/// <param name="Source">The column of the files it is read from.</param>
public sealed record EntityFileColumn(string Name, string Source);
