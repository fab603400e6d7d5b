using Granary.Registry;
using Granary.Ui;
using Microsoft.AspNetCore.Components;

namespace Granary.Reports.Ui;

/// <summary>The UI's saved datasets page: every manifest of the project with its statistics profile.</summary>
internal sealed class SavedDatasetsUiReport : UiReport
{
    public override UiReportKind Kind => UiReportKind.SavedDatasets;

    public override async Task<RenderFragment?> RenderAsync(FeatureStore store, RegistrySnapshot? snapshot, CancellationToken cancellationToken)
    {
        if (snapshot is null)
        {
            return null;
        }

        var datasets = await store.Registry.ListDatasetsAsync(store.Project, cancellationToken).ConfigureAwait(false);
        return HtmlReports.Fragment<SavedDatasetsView>(nameof(SavedDatasetsView.Datasets), datasets);
    }
}
