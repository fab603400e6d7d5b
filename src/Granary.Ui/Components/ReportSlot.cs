namespace Granary.Ui.Components;

/// <summary>A report page's place in the navigation.</summary>
/// <param name="Kind">The report.</param>
/// <param name="Path">Its path under the UI, such as <c>reports/skew</c>.</param>
/// <param name="Title">Its title.</param>
/// <param name="Summary">What it will show, for the page that says it is not computed yet.</param>
/// <param name="Command">The command that computes it.</param>
public sealed record ReportSlot(UiReportKind Kind, string Path, string Title, string Summary, string Command);
