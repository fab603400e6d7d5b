using System.Text.Json;
using Granary.Definitions;
using Granary.Online;
using Granary.Registry;
using Granary.Transformations;

namespace Granary.FeatureLogs;

/// <summary>
/// The columns a feature service's reads are logged with under one apply: the join keys, the request
/// fields its on-demand views read, and per feature its value, event time and status. Worked out once
/// per apply, on the first logged read of the service, and kept with the row batches its reads fill.
/// </summary>
internal sealed class FeatureLogLayout
{
    private readonly IReadOnlyList<(string Name, DataType Type)> _keys;
    private readonly IReadOnlyList<Field> _requestFields;
    private readonly IReadOnlyList<(string Column, DataType Type)> _features;
    private readonly Stack<FeatureLogRows> _spare = new();

    private FeatureLogLayout(
        string service, FeatureLogging logging, long version, IReadOnlyList<(string, DataType)> keys, IReadOnlyList<Field> requestFields, IReadOnlyList<(string, DataType)> features)
    {
        Service = service;
        Logging = logging;
        Version = version;
        _keys = keys;
        _requestFields = requestFields;
        _features = features;
    }

    /// <summary>The feature service.</summary>
    public string Service { get; }

    /// <summary>Where and how the service's reads are logged under this apply.</summary>
    public FeatureLogging Logging { get; }

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
        return new FeatureLogLayout(service.Name, service.Logging!, snapshot.Version, keys, requestFields, features);
    }

    /// <summary>
    /// An empty batch of rows of <paramref name="day"/>: one written before, whose buffers are reused, or a new one.
    /// Not thread-safe: the logger calls it under its lock.
    /// </summary>
    public FeatureLogRows Rent(DateOnly day)
    {
        var rows = _spare.Count > 0 ? _spare.Pop() : new FeatureLogRows(this, Columns());
        rows.Reset(day);
        return rows;
    }

    /// <summary>Takes back a written batch for reuse. Not thread-safe: the logger calls it under its lock.</summary>
    public void Return(FeatureLogRows rows) => _spare.Push(rows);

    /// <summary>
    /// Appends a read's rows to <paramref name="columns"/> from row <paramref name="at"/>: the values as typed
    /// values (a served <see cref="double"/> is unboxed, event times and statuses are never boxed), so that
    /// nothing of the read outlives it but the copied values.
    /// </summary>
    public void Append(FeatureLogColumnBuffer[] columns, int at, OnlineFeaturesRequest request, OnlineResponse response, DateTimeOffset time, int rows)
    {
        foreach (var column in columns)
        {
            column.EnsureCapacity(at + rows);
        }

        var c = 0;
        foreach (var (name, type) in _keys)
        {
            var column = columns[c++];
            var values = request.Entities.GetValueOrDefault(name);
            for (var row = 0; row < rows; row++)
            {
                column.Set(at + row, values is null ? null : KeyValue(values[row], type, name));
            }
        }

        foreach (var field in _requestFields)
        {
            var column = columns[c++];
            var values = request.Entities.GetValueOrDefault(field.Name);
            for (var row = 0; row < rows; row++)
            {
                column.Set(at + row, values is null ? null : RequestValue(values[row], field));
            }
        }

        // The service's features follow the join keys the response echoes.
        var first = response.Results.Count - _features.Count;
        for (var f = 0; f < _features.Count; f++)
        {
            var served = response.Results[first + f];
            var type = _features[f].Type;
            var value = columns[c++];
            var eventTime = (FeatureLogColumnBuffer.TimestampColumn)columns[c++];
            var status = (FeatureLogColumnBuffer.StatusColumn)columns[c++];
            for (var row = 0; row < rows; row++)
            {
                value.Set(at + row, type.IsList ? Stored(served.Values[row], type) : served.Values[row]);
                eventTime.SetInstant(at + row, served.EventTimestamps[row]);
                status.SetStatus(at + row, served.Statuses[row]);
            }
        }

        var logTime = (FeatureLogColumnBuffer.TimestampColumn)columns[c++];
        var id = (FeatureLogColumnBuffer.StringColumn)columns[c++];
        var version = (FeatureLogColumnBuffer.Values<long>)columns[c];
        // The read's id, or a new one for a read without (in process); copied once for all its rows.
        var requestId = request.RequestId is { } given ? id.Copy(given) : id.Copy(Guid.NewGuid());
        for (var row = 0; row < rows; row++)
        {
            logTime.SetInstant(at + row, time);
            id.SetValue(at + row, requestId);
            version.SetValue(at + row, Version);
        }
    }

    /// <summary>New, empty buffers for the layout's columns, in file order.</summary>
    private FeatureLogColumnBuffer[] Columns() =>
    [
        .. _keys.Select(k => FeatureLogColumnBuffer.For(k.Name, EntityClrType(k.Type))),
        .. _requestFields.Select(f => FeatureLogColumnBuffer.For(f.Name, ClrType(f.Dtype))),
        .. _features.SelectMany(f => new[]
        {
            FeatureLogColumnBuffer.For(f.Column, ClrType(f.Type)),
            FeatureLogColumnBuffer.For(FeatureLogColumns.Timestamp(f.Column), typeof(DateTimeOffset)),
            new FeatureLogColumnBuffer.StatusColumn(FeatureLogColumns.Status(f.Column)),
        }),
        FeatureLogColumnBuffer.For(FeatureLogColumns.LogTimestamp, typeof(DateTimeOffset)),
        FeatureLogColumnBuffer.For(FeatureLogColumns.RequestId, typeof(string)),
        FeatureLogColumnBuffer.For(FeatureLogColumns.RegistryVersion, typeof(long)),
    ];

    /// <summary>A join key as the read's entity rows gave it, converted as the read converted it.</summary>
    private static object? KeyValue(object? value, DataType type, string name)
    {
        try
        {
            return EntityValues.Convert(value, type, name);
        }
        catch (GranaryException)
        {
            // The read accepted the row; a value it did not need is logged as null rather than failing the log.
            return null;
        }
    }

    /// <summary>A request field as the read's entity rows gave it, converted to its declared type.</summary>
    private static object? RequestValue(object? value, Field field)
    {
        try
        {
            return Stored(FeatureValues.Convert(value, field.Dtype, field.Name), field.Dtype);
        }
        catch (GranaryException)
        {
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
