using System.Text.Json;
using RecordBatch = Apache.Arrow.RecordBatch;
using Granary.Definitions;
using Granary.Online;
using Granary.Registry;
using Granary.Transformations;

namespace Granary.FeatureLogs;

/// <summary>
/// The columns a feature service's reads are logged with under one apply: the join keys, the request
/// fields its on-demand views read, and per feature its value, event time and status. Worked out on
/// the background writer, never on the read's path, and kept per apply.
/// </summary>
internal sealed class FeatureLogLayout
{
    private readonly IReadOnlyList<(string Name, DataType Type)> _keys;
    private readonly IReadOnlyList<Field> _requestFields;
    private readonly IReadOnlyList<(string Column, DataType Type)> _features;

    private FeatureLogLayout(
        string service, long version, IReadOnlyList<(string, DataType)> keys, IReadOnlyList<Field> requestFields, IReadOnlyList<(string, DataType)> features)
    {
        Service = service;
        Version = version;
        _keys = keys;
        _requestFields = requestFields;
        _features = features;
    }

    /// <summary>The feature service.</summary>
    public string Service { get; }

    /// <summary>The registry version the layout belongs to.</summary>
    public long Version { get; }

    /// <summary>The layout of <paramref name="service"/>'s reads under <paramref name="snapshot"/>.</summary>
    public static FeatureLogLayout Build(RegistrySnapshot snapshot, FeatureService service, OnDemandPlanner onDemand)
    {
        var set = snapshot.Definitions;
        var selection = FeatureSelection.FromService(set, service.Name, fullFeatureNames: true);
        var keys = new List<(string, DataType)>();
        foreach (var view in selection.Views)
        {
            var entities = view.View switch
            {
                FeatureView v => v.Entities,
                AggregationView v => v.Entities,
                _ => [],
            };
            foreach (var entity in entities.Select(set.FindEntity).OfType<Entity>())
            {
                keys.AddRange(entity.JoinKeys.Where(k => keys.All(x => x.Item1 != k)).Select(k => (k, entity.ValueType)));
            }
        }

        var requestFields = onDemand.Plan(snapshot, selection).RequestFields
            .Where(f => keys.All(k => k.Item1 != f.Name)).DistinctBy(f => f.Name).ToArray();
        var features = selection.Views.SelectMany(v => v.Features.Select(f => (FeatureLogColumns.Feature(v.View.Name, f.Field.Name), f.Field.Dtype))).ToArray();
        return new FeatureLogLayout(service.Name, snapshot.Version, keys, requestFields, features);
    }

    /// <summary>The reads as one batch of log rows, in read order.</summary>
    public RecordBatch ToBatch(IReadOnlyList<LoggedRead> reads)
    {
        var rows = reads.Sum(r => r.Rows);
        var columns = new List<(string Name, Type Type, IReadOnlyList<object?> Values)>();
        foreach (var (name, type) in _keys)
        {
            columns.Add((name, EntityClrType(type), Gather(reads, rows, (read, row) =>
                read.Request.Entities.TryGetValue(name, out var column) ? TryConvert(() => EntityValues.Convert(column[row], type, name)) : null)));
        }

        foreach (var field in _requestFields)
        {
            columns.Add((field.Name, ClrType(field.Dtype), Gather(reads, rows, (read, row) =>
                read.Request.Entities.TryGetValue(field.Name, out var column) ? Stored(TryConvert(() => FeatureValues.Convert(column[row], field.Dtype, field.Name)), field.Dtype) : null)));
        }

        for (var f = 0; f < _features.Count; f++)
        {
            var (name, type) = _features[f];
            var index = f;
            columns.Add((name, ClrType(type), Gather(reads, rows, (read, row) => Stored(read.Feature(index, _features.Count).Values[row], type))));
            columns.Add((FeatureLogColumns.Timestamp(name), typeof(DateTimeOffset), Gather(reads, rows, (read, row) => read.Feature(index, _features.Count).EventTimestamps[row])));
            columns.Add((FeatureLogColumns.Status(name), typeof(string), Gather(reads, rows, (read, row) => OnlineResponseJson.StatusName(read.Feature(index, _features.Count).Statuses[row]))));
        }

        columns.Add((FeatureLogColumns.LogTimestamp, typeof(DateTimeOffset), Gather(reads, rows, (read, _) => read.Time)));
        columns.Add((FeatureLogColumns.RequestId, typeof(string), Gather(reads, rows, (read, _) => read.RequestId)));
        columns.Add((FeatureLogColumns.RegistryVersion, typeof(long), Gather(reads, rows, (read, _) => read.Version)));
        return Offline.ArrowBatches.FromColumns(columns, rows);
    }

    private static object?[] Gather(IReadOnlyList<LoggedRead> reads, int rows, Func<LoggedRead, int, object?> value)
    {
        var values = new object?[rows];
        var at = 0;
        foreach (var read in reads)
        {
            for (var row = 0; row < read.Rows; row++)
            {
                values[at++] = value(read, row);
            }
        }

        return values;
    }

    private static object? TryConvert(Func<object?> convert)
    {
        try
        {
            return convert();
        }
        catch (GranaryException)
        {
            // The read accepted the row; a value it did not need is logged as null rather than failing the log.
            return null;
        }
    }

    /// <summary>Join keys as <see cref="EntityValues"/> gives them: integers as <see cref="long"/>.</summary>
    private static Type EntityClrType(DataType type) => type.Scalar is ScalarType.Int32 or ScalarType.Int64 ? typeof(long) : FeatureValueCodec.ClrTypeOf(type);

    /// <summary>The type a value is logged as: its own, or JSON text for a list (Parquet log files hold flat columns).</summary>
    internal static Type ClrType(DataType type) => type.IsList ? typeof(string) : FeatureValueCodec.ClrTypeOf(type);

    /// <summary>A value as it is logged: lists as JSON text.</summary>
    internal static object? Stored(object? value, DataType type) =>
        value is not null && type.IsList ? JsonSerializer.Serialize(value, value.GetType()) : value;
}
