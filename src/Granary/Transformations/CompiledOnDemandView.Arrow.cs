using Apache.Arrow;
using Granary.Definitions;

namespace Granary.Transformations;

/// <summary>Offline evaluation over Arrow columns.</summary>
public sealed partial class CompiledOnDemandView
{
    /// <summary>
    /// Computes the outputs for <paramref name="length"/> rows given as Arrow columns, as offline
    /// retrieval does, through the same compiled code as <see cref="EvaluateRow"/>. Numeric columns
    /// of a narrower Arrow type widen; timestamps of any unit and dates are accepted.
    /// </summary>
    /// <param name="length">The number of rows.</param>
    /// <param name="inputs">One column per <see cref="InputNames"/>, in that order, each at least <paramref name="length"/> long.</param>
    /// <returns>One column per <see cref="Outputs"/>: Int32, Int64, Float, Double, String, Boolean or Timestamp (microseconds, UTC) arrays.</returns>
    /// <exception cref="TransformationException">A column's Arrow type does not fit its input's type.</exception>
    public IReadOnlyList<IArrowArray> EvaluateColumns(int length, IReadOnlyList<IArrowArray> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (inputs.Count != _layout.Names.Count)
        {
            throw new ArgumentException($"expected {_layout.Names.Count} input columns ({string.Join(", ", _layout.Names)}), got {inputs.Count}", nameof(inputs));
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Length < length)
            {
                throw new ArgumentException($"column for input '{_layout.Names[i]}' has {inputs[i].Length} rows, fewer than {length}", nameof(inputs));
            }
        }

        var frame = Interlocked.Exchange(ref _batchFrame, null) ?? NewFrame(ChunkSize);
        var outputs = _outputTypes.Select(t => new ArrowOutput(t, length)).ToArray();
        for (var start = 0; start < length; start += ChunkSize)
        {
            var count = Math.Min(ChunkSize, length - start);
            frame.ResetValidity();
            for (var i = 0; i < inputs.Count; i++)
            {
                ArrowInput.Load(frame, i, inputs[i], start, count, _layout.Names[i]);
            }

            foreach (var kernel in _kernels)
            {
                kernel(frame, 0, count);
            }

            for (var o = 0; o < outputs.Length; o++)
            {
                outputs[o].Append(frame, o, count);
            }
        }

        Volatile.Write(ref _batchFrame, frame);
        return outputs.Select(o => o.Build()).ToArray();
    }

    /// <summary>
    /// Computes the outputs for every row of <paramref name="batch"/> and returns the batch with
    /// one column per output appended, named after the features.
    /// </summary>
    /// <param name="batch">The rows; it must hold a column per <see cref="InputNames"/>.</param>
    /// <param name="columnNames">
    /// Input name to column name where they differ (for example <c>request_time</c> to the entity
    /// rows' timestamp column); other inputs are read from the column of their own name. When
    /// <c>event_time</c> is read and the batch has no such column, it is null on every row.
    /// </param>
    /// <exception cref="TransformationException">A column is missing or its Arrow type does not fit.</exception>
    public RecordBatch Evaluate(RecordBatch batch, IReadOnlyDictionary<string, string>? columnNames = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var inputs = new IArrowArray[_layout.Names.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var name = _layout.Names[i];
            var column = columnNames?.GetValueOrDefault(name) ?? name;
            var index = batch.Schema.GetFieldIndex(column);
            if (index >= 0)
            {
                inputs[i] = batch.Column(index);
            }
            else if (name == ExpressionCompiler.EventTime)
            {
                inputs[i] = ArrowOutput.Nulls(ScalarType.UnixTimestamp, batch.Length);
            }
            else
            {
                throw new TransformationException($"{View.Kind} '{View.Name}': the batch has no column '{column}' for input '{name}'");
            }
        }

        var outputs = EvaluateColumns(batch.Length, inputs);
        var schema = new Schema.Builder();
        foreach (var field in batch.Schema.FieldsList)
        {
            schema.Field(field);
        }

        for (var o = 0; o < outputs.Count; o++)
        {
            schema.Field(new Apache.Arrow.Field(View.Schema[o].Name, outputs[o].Data.DataType, nullable: true));
        }

        return new RecordBatch(schema.Build(), batch.Arrays.Concat(outputs), batch.Length);
    }
}
