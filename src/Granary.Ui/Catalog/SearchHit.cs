using Granary.Definitions;

namespace Granary.Ui.Catalog;

/// <summary>An object (or one of its features) that matches a search.</summary>
/// <param name="Kind">The object's kind.</param>
/// <param name="Definition">The object.</param>
/// <param name="Feature">The matching feature or field of the object, or null when the object itself matched.</param>
/// <param name="Text">The matched description, or null.</param>
/// <param name="Score">Higher is better: exact names, then name prefixes, then names, then descriptions.</param>
public sealed record SearchHit(UiKind Kind, Definition Definition, string? Feature, string? Text, int Score);
