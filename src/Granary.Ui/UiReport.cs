using Granary.Registry;
using Microsoft.AspNetCore.Components;

namespace Granary.Ui;

/// <summary>
/// The content of one report page of the UI, registered in the host's services
/// (<c>services.AddSingleton&lt;UiReport, MyReport&gt;()</c>): the page keeps its place in the
/// navigation and its URL, and renders what <see cref="RenderAsync"/> returns inside the UI's frame.
/// Without one, the page says the report is not computed yet. A report that already renders HTML
/// for <c>--output report.html</c> should return that same rendering here (a Razor component, or
/// its markup through <see cref="Markup"/>), so that the page and the file cannot differ.
/// </summary>
public abstract class UiReport
{
    /// <summary>The page this report fills.</summary>
    public abstract UiReportKind Kind { get; }

    /// <summary>
    /// The page's content for the project of <paramref name="store"/>, whose registry state is
    /// <paramref name="snapshot"/> (null when the project was never applied); null when there is
    /// nothing to show yet, which the page says.
    /// </summary>
    public abstract Task<RenderFragment?> RenderAsync(FeatureStore store, RegistrySnapshot? snapshot, CancellationToken cancellationToken);

    /// <summary>A fragment of trusted HTML (the report's own rendering, never user input).</summary>
    protected static RenderFragment Markup(string html) => builder => builder.AddMarkupContent(0, html);
}
