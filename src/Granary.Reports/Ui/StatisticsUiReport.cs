using Granary.Definitions;
using Granary.Registry;
using Granary.Ui;
using Microsoft.AspNetCore.Components;

namespace Granary.Reports.Ui;

/// <summary>The UI's statistics page: every feature of every feature view over all its source's rows, as <c>granary stats</c> computes them.</summary>
internal sealed class StatisticsUiReport : UiReport
{
    public override UiReportKind Kind => UiReportKind.Statistics;

    public override async Task<RenderFragment?> RenderAsync(FeatureStore store, RegistrySnapshot? snapshot, CancellationToken cancellationToken)
    {
        var features = snapshot?.Definitions.FeatureViews.SelectMany(v => v.Schema.Select(f => $"{v.Name}:{f.Name}")).ToArray() ?? [];
        if (features.Length == 0)
        {
            return null;
        }

        try
        {
            var report = await store.ComputeStatisticsAsync(features, null, cancellationToken: cancellationToken).ConfigureAwait(false);
            return HtmlReports.Fragment<StatisticsReportView>(nameof(StatisticsReportView.Report), report);
        }
        catch (GranaryException e)
        {
            return ReportWindow.Failure("Statistics", e);
        }
    }
}
