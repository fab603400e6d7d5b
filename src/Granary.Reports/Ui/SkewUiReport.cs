using Granary.Registry;
using Granary.Ui;
using Microsoft.AspNetCore.Components;

namespace Granary.Reports.Ui;

/// <summary>The UI's skew page: each feature service with <c>logging</c>, over its last day of logged reads.</summary>
internal sealed class SkewUiReport : UiReport
{
    public override UiReportKind Kind => UiReportKind.Skew;

    public override async Task<RenderFragment?> RenderAsync(FeatureStore store, RegistrySnapshot? snapshot, CancellationToken cancellationToken)
    {
        var services = snapshot?.Definitions.FeatureServices.Where(s => s.Logging is not null).ToArray() ?? [];
        if (services.Length == 0)
        {
            return null;
        }

        var end = store.TimeProvider.GetUtcNow();
        var fragments = new List<RenderFragment>();
        foreach (var service in services)
        {
            try
            {
                var report = await store.ComputeSkewAsync(service.Name, end - ReportWindow.Logs, end, cancellationToken).ConfigureAwait(false);
                fragments.Add(HtmlReports.Fragment<SkewReportView>(nameof(SkewReportView.Report), report));
            }
            catch (GranaryException e)
            {
                fragments.Add(ReportWindow.Failure($"Skew of {service.Name}", e));
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
