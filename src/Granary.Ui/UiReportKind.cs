namespace Granary.Ui;

/// <summary>The report pages the UI has a place for; each shows "not computed yet" until a <see cref="UiReport"/> of its kind is registered.</summary>
public enum UiReportKind
{
    /// <summary>Saved datasets: training data recorded with its manifest (<c>/ui/saved-datasets</c>).</summary>
    SavedDatasets,

    /// <summary>Training-serving skew of a feature service's logged reads (<c>/ui/reports/skew</c>).</summary>
    Skew,

    /// <summary>Feature statistics (<c>/ui/reports/statistics</c>).</summary>
    Statistics,

    /// <summary>Drift between a reference and a current range (<c>/ui/reports/drift</c>).</summary>
    Drift,
}
