using Granary.Reports.Ui;
using Granary.Ui;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs the reports into the web UI's report pages (<see cref="UiReport"/>).</summary>
public static class GranaryReportsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the skew, statistics, drift and saved-dataset pages of the UI, rendered by the same components
    /// as the <c>--output report.html</c> files. Skew and drift look at the last day of logged reads.
    /// </summary>
    public static IServiceCollection AddGranaryReports(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<UiReport, SavedDatasetsUiReport>(),
            ServiceDescriptor.Singleton<UiReport, SkewUiReport>(),
            ServiceDescriptor.Singleton<UiReport, StatisticsUiReport>(),
            ServiceDescriptor.Singleton<UiReport, DriftUiReport>(),
        ]);
        return services;
    }
}
