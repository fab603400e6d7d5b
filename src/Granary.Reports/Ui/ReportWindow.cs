namespace Granary.Reports.Ui;

/// <summary>How far back the UI's report pages look, so that a page costs a bounded read: the last day of logs.</summary>
internal static class ReportWindow
{
    public static readonly TimeSpan Logs = TimeSpan.FromDays(1);

    /// <summary>A page's note when a store cannot compute a report (a backend without statistics, say): one line, as the CLI prints it.</summary>
    public static Microsoft.AspNetCore.Components.RenderFragment Failure(string what, GranaryException e) => builder =>
    {
        builder.OpenElement(0, "p");
        builder.AddAttribute(1, "class", "notice");
        builder.AddContent(2, $"{what} could not be computed: {e.Message}");
        builder.CloseElement();
    };
}
