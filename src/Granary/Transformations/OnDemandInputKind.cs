namespace Granary.Transformations;

/// <summary>Where one input of a compiled on-demand view comes from.</summary>
internal enum OnDemandInputKind
{
    /// <summary>A feature of a source feature view.</summary>
    Feature,

    /// <summary>A feature of a source aggregation view: its value over its window before the entity row's time.</summary>
    AggregationFeature,

    /// <summary>A request field: a column of the entity rows offline, a request value online.</summary>
    RequestField,

    /// <summary>An output of a source on-demand view, computed first.</summary>
    OnDemandOutput,

    /// <summary>The entity row's time offline, the read time online.</summary>
    RequestTime,

    /// <summary>The event time of the row of the view's first feature view source.</summary>
    EventTime,
}
