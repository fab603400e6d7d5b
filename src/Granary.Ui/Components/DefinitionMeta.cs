namespace Granary.Ui.Components;

/// <summary>Marker for the metadata block; see <c>Meta.razor</c>.</summary>
internal static class DefinitionMeta
{
    /// <summary>The anchor of a feature's row, for links from search.</summary>
    public static string FeatureAnchor(string feature) => "feature-" + Uri.EscapeDataString(feature);
}
