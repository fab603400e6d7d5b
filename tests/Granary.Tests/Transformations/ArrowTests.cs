using Apache.Arrow;
using Apache.Arrow.Types;
using Granary.Definitions;
using Granary.Transformations;
using Field = Granary.Definitions.Field;

namespace Granary.Tests.Transformations;

public class ArrowTests
{
    private static readonly OnDemandFeatureView View = new()
    {
        Name = "adjusted",
        Sources = ["stats", "request"],
        Schema =
        [
            new Field { Name = "sum", Dtype = DataType.Float64, Expression = "conv_rate + val_to_add" },
            new Field { Name = "hour", Dtype = new DataType(ScalarType.Int32), Expression = "hour_of_day(request_time)" },
            new Field { Name = "label", Dtype = DataType.String, Expression = "if(conv_rate > 0.5, 'high', 'low')" },
            new Field { Name = "age_s", Dtype = DataType.Float64, Expression = "seconds_between(event_time, request_time)" },
        ],
    };

    private static readonly Dictionary<string, DataType> Inputs = new()
    {
        ["conv_rate"] = DataType.Float64,
        ["val_to_add"] = DataType.Float64,
    };

    private static RecordBatch Batch(bool withEventTime)
    {
        var schema = new Schema.Builder()
            .Field(new Apache.Arrow.Field("conv_rate", DoubleType.Default, true))
            .Field(new Apache.Arrow.Field("val_to_add", Int32Type.Default, true))
            .Field(new Apache.Arrow.Field("entity_ts", new TimestampType(TimeUnit.Millisecond, "UTC"), true));
        var arrays = new List<IArrowArray>
        {
            new DoubleArray.Builder().Append(0.25).AppendNull().Append(0.75).Build(),
            new Int32Array.Builder().Append(1).Append(2).Append(3).Build(),
            new TimestampArray.Builder(TimeUnit.Millisecond, "UTC")
                .Append(new DateTimeOffset(2024, 3, 15, 13, 0, 0, TimeSpan.Zero))
                .Append(new DateTimeOffset(2024, 3, 15, 0, 30, 0, TimeSpan.Zero))
                .Append(new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero))
                .Build(),
        };
        if (withEventTime)
        {
            schema.Field(new Apache.Arrow.Field("event_time", new TimestampType(TimeUnit.Second, "UTC"), true));
            arrays.Add(new TimestampArray.Builder(TimeUnit.Second, "UTC")
                .Append(new DateTimeOffset(2024, 3, 15, 12, 0, 0, TimeSpan.Zero))
                .AppendNull()
                .Append(new DateTimeOffset(1969, 12, 31, 23, 59, 0, TimeSpan.Zero))
                .Build());
        }

        return new RecordBatch(schema.Build(), arrays, 3);
    }

    [Fact]
    public void Evaluate_RecordBatch_AppendsTypedOutputColumns()
    {
        var compiled = CompiledOnDemandView.Compile(View, Inputs);

        var result = compiled.Evaluate(Batch(withEventTime: true), new Dictionary<string, string> { ["request_time"] = "entity_ts" });

        Assert.Equal(["conv_rate", "val_to_add", "entity_ts", "event_time", "sum", "hour", "label", "age_s"], result.Schema.FieldsList.Select(f => f.Name));
        Assert.Equal([1.25, null, 3.75], ((DoubleArray)result.Column("sum")).ToArray());
        Assert.Equal([13, 0, 23], ((Int32Array)result.Column("hour")).ToArray());
        Assert.Equal(["low", "low", "high"], Enumerable.Range(0, 3).Select(i => ((StringArray)result.Column("label")).GetString(i)).ToArray());
        Assert.Equal([3600.0, null, 59.0], ((DoubleArray)result.Column("age_s")).ToArray());
        Assert.Equal(1, result.Column("sum").NullCount);
    }

    [Fact]
    public void Evaluate_WithoutEventTimeColumn_TreatsEventTimeAsNull()
    {
        var compiled = CompiledOnDemandView.Compile(View, Inputs);

        var result = compiled.Evaluate(Batch(withEventTime: false), new Dictionary<string, string> { ["request_time"] = "entity_ts" });

        Assert.Equal([null, null, null], ((DoubleArray)result.Column("age_s")).ToArray());
    }

    [Fact]
    public void Evaluate_MissingInputColumn_Throws()
    {
        var compiled = CompiledOnDemandView.Compile(View, Inputs);

        var error = Assert.Throws<TransformationException>(() => compiled.Evaluate(Batch(withEventTime: true)));

        Assert.Equal("on_demand_feature_view 'adjusted': the batch has no column 'request_time' for input 'request_time'", error.Message);
    }

    [Fact]
    public void EvaluateColumns_AcrossChunks_KeepsRowsInOrder()
    {
        var view = View with { Schema = [new Field { Name = "twice", Dtype = DataType.Int64, Expression = "n * 2" }] };
        var compiled = CompiledOnDemandView.Compile(view, new Dictionary<string, DataType> { ["n"] = DataType.Int64 });
        const int Rows = 150_000; // more than two chunks of 65,536
        var builder = new Int64Array.Builder();
        for (var i = 0; i < Rows; i++)
        {
            if (i % 1000 == 999)
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(i);
            }
        }

        var output = (Int64Array)compiled.EvaluateColumns(Rows, [builder.Build()])[0];

        Assert.Equal(Rows, output.Length);
        Assert.Equal(150, output.NullCount);
        Assert.Equal(2 * 131_071L, output.GetValue(131_071));
        Assert.Null(output.GetValue(131_999));
        Assert.Equal(2 * 149_998L, output.GetValue(149_998));
    }

    [Fact]
    public void EvaluateColumns_NullOnlyInLastChunk_KeepsEarlierRowsValid()
    {
        var view = View with { Schema = [new Field { Name = "plus_one", Dtype = DataType.Float64, Expression = "x + 1" }] };
        var compiled = CompiledOnDemandView.Compile(view, new Dictionary<string, DataType> { ["x"] = DataType.Float64 });
        const int Rows = 65_536 + 13;
        var builder = new DoubleArray.Builder();
        for (var i = 0; i < Rows - 1; i++)
        {
            builder.Append(i);
        }

        var output = (DoubleArray)compiled.EvaluateColumns(Rows, [builder.AppendNull().Build()])[0];

        Assert.Equal(1, output.NullCount);
        Assert.Equal(1.0, output.GetValue(0));
        Assert.Equal(65_536.0, output.GetValue(65_535));
        Assert.Equal(65_548.0, output.GetValue(Rows - 2));
        Assert.Null(output.GetValue(Rows - 1));
    }

    [Fact]
    public void EvaluateColumns_BoolOutputWithNulls_BuildsBooleanArray()
    {
        var view = View with { Schema = [new Field { Name = "big", Dtype = new DataType(ScalarType.Bool), Expression = "x > 1" }] };
        var compiled = CompiledOnDemandView.Compile(view, new Dictionary<string, DataType> { ["x"] = DataType.Float64 });

        var output = (BooleanArray)compiled.EvaluateColumns(3, [new DoubleArray.Builder().Append(2).AppendNull().Append(0.5).Build()])[0];

        Assert.Equal([true, null, false], output.ToArray());
    }
}
