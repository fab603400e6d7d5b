using System.Runtime.CompilerServices;
using Apache.Arrow;
using Granary.Definitions;
using Granary.Offline;

namespace Granary.Transformations;

/// <summary>
/// Training data with on-demand features: each batch from the offline store runs through the
/// plan's compiled views (the code serving runs row by row), then hidden input columns are dropped
/// and the features are put in the requested order.
/// </summary>
internal sealed class OnDemandRetrievalResult : RetrievalResult
{
    private readonly RetrievalResult _inner;
    private readonly OnDemandPlan _plan;
    private readonly FeatureSelection _selection;
    private readonly IReadOnlyList<string> _entityColumns;
    private readonly string _timestampColumn;
    private readonly Func<string, string, string> _featureColumn;
    private readonly Func<string, string> _eventTimeColumn;
    private readonly IReadOnlyList<string> _kept;

    public OnDemandRetrievalResult(
        RetrievalResult inner,
        OnDemandPlan plan,
        FeatureSelection selection,
        IReadOnlyList<string> entityColumns,
        string timestampColumn,
        Func<string, string, string> featureColumn,
        Func<string, string> eventTimeColumn,
        IReadOnlyList<string>? kept = null)
    {
        _inner = inner;
        _plan = plan;
        _selection = selection;
        _entityColumns = entityColumns;
        _timestampColumn = timestampColumn;
        _featureColumn = featureColumn;
        _eventTimeColumn = eventTimeColumn;
        _kept = kept ?? [];
        foreach (var field in plan.RequestFields.Where(f => !entityColumns.Contains(f.Name)))
        {
            throw new GranaryException($"entity rows have no column '{field.Name}', a request field ({field.Dtype}) that on-demand features read");
        }

        foreach (var selected in selection.Views.Where(v => v.View is OnDemandFeatureView))
        {
            foreach (var feature in selected.Features.Where(f => entityColumns.Contains(f.OutputName)))
            {
                throw new GranaryException($"feature '{feature.OutputName}' of view '{selected.View.Name}' has the name of an entity row column; rename the column or use --full-feature-names");
            }
        }

        ColumnNames = entityColumns.Concat(selection.OutputNames).Concat(_kept).ToArray();
    }

    public override IReadOnlyList<string> ColumnNames { get; }

    public override async IAsyncEnumerable<RecordBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in _inner.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Transform(batch);
        }
    }

    private RecordBatch Transform(RecordBatch batch)
    {
        IArrowArray Column(string name) => batch.Column(batch.Schema.GetFieldIndex(name));
        var computed = new Dictionary<(string View, string Feature), IArrowArray>();
        foreach (var (view, bindings) in _plan.Steps)
        {
            var inputs = bindings.Select(b => b.Kind switch
            {
                OnDemandInputKind.Feature or OnDemandInputKind.AggregationFeature => Column(_featureColumn(b.Source, b.Name)),
                OnDemandInputKind.RequestField => Column(b.Name),
                OnDemandInputKind.OnDemandOutput => computed[(b.Source, b.Name)],
                OnDemandInputKind.RequestTime => Column(_timestampColumn),
                OnDemandInputKind.EventTime => b.Source.Length == 0
                    ? ArrowOutput.Nulls(ScalarType.UnixTimestamp, batch.Length)
                    : Column(_eventTimeColumn(b.Source)),
                _ => throw new InvalidOperationException(b.Kind.ToString()),
            }).ToArray();
            var outputs = view.EvaluateColumns(batch.Length, inputs);
            for (var o = 0; o < outputs.Count; o++)
            {
                computed[(view.View.Name, view.Outputs[o].Name)] = outputs[o];
            }
        }

        var schema = new Schema.Builder();
        var arrays = new List<IArrowArray>();
        foreach (var name in _entityColumns)
        {
            var index = batch.Schema.GetFieldIndex(name);
            schema.Field(batch.Schema.GetFieldByIndex(index));
            arrays.Add(batch.Column(index));
        }

        foreach (var selected in _selection.Views)
        {
            foreach (var feature in selected.Features)
            {
                var array = selected.View is OnDemandFeatureView
                    ? computed[(selected.View.Name, feature.Field.Name)]
                    : Column(feature.OutputName);
                schema.Field(new Apache.Arrow.Field(feature.OutputName, array.Data.DataType, nullable: true));
                arrays.Add(array);
            }
        }

        // Columns of the store's result asked for as they are (event times of the selected views).
        foreach (var name in _kept)
        {
            var index = batch.Schema.GetFieldIndex(name);
            schema.Field(batch.Schema.GetFieldByIndex(index));
            arrays.Add(batch.Column(index));
        }

        return new RecordBatch(schema.Build(), arrays, batch.Length);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
