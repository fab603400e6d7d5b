using Granary.Drift;
using Granary.Registry;
using Granary.Ui;
using Microsoft.AspNetCore.Components;

namespace Granary.Reports.Ui;

/// <summary>
/// The UI's drift page: each saved dataset made from a feature service with <c>logging</c>, as the reference,
/// against that service's last day of served values: training data against what production serves now.
/// </summary>
internal sealed class DriftUiReport : UiReport
{
    public override UiReportKind Kind => UiReportKind.Drift;

    public override async Task<RenderFragment?> RenderAsync(FeatureStore store, RegistrySnapshot? snapshot, CancellationToken cancellationToken)
    {
        if (snapshot is null)
        {
            return null;
        }

        var logged = snapshot.Definitions.FeatureServices.Where(s => s.Logging is not null).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var datasets = (await store.Registry.ListDatasetsAsync(store.Project, cancellationToken).ConfigureAwait(false))
            .Where(d => d.FeatureService is { } service && logged.Contains(service))
            .ToArray();
        if (datasets.Length == 0)
        {
            return null;
        }

        var end = store.TimeProvider.GetUtcNow();
        var range = $"{Online.OnlineResponseJson.FormatTime(end - ReportWindow.Logs)}..{Online.OnlineResponseJson.FormatTime(end)}";
        var fragments = new List<RenderFragment>();
        foreach (var dataset in datasets)
        {
            try
            {
                var report = await store.ComputeDriftAsync(
                    DriftSpec.Parse($"dataset:{dataset.Name}", "reference"), DriftSpec.Parse($"logs:{dataset.FeatureService}:{range}", "current"),
                    null, dataset.FeatureService, cancellationToken).ConfigureAwait(false);
                fragments.Add(HtmlReports.Fragment<DriftReportView>(nameof(DriftReportView.Report), report));
            }
            catch (GranaryException e)
            {
                fragments.Add(ReportWindow.Failure($"Drift of {dataset.Name}", e));
            }
        }

        return builder =>
        {
            foreach (var fragment in fragments)
            {
                builder.AddContent(0, fragment);
            }
        };
    }
}
