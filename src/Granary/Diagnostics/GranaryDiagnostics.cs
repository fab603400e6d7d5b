namespace Granary.Diagnostics;

/// <summary>
/// The names under which Granary reports what it does, for OpenTelemetry:
/// <c>tracing.AddSource(GranaryDiagnostics.ActivitySourceName)</c> and
/// <c>metrics.AddMeter(GranaryDiagnostics.MeterName)</c>. The spans, their tags and the instruments
/// are listed in docs/observability.md. Nothing is recorded, and nothing allocated for it, while no
/// listener is attached.
/// </summary>
public static class GranaryDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of every Granary span: online store reads, training-data requests, materializations, pushes and applies.</summary>
    public const string ActivitySourceName = "Granary";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of the core's instruments (rows materialized and pushed).</summary>
    public const string MeterName = "Granary";
}
