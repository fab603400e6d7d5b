using Granary.Definitions;

namespace Granary.Statistics;

/// <summary>One feature whose values are described: its name in reports and the column that holds it in the input.</summary>
/// <param name="Feature">The name reports give it: <c>view__feature</c>.</param>
/// <param name="Column">The column of the input: a source's Granary column name (before field mapping), or a file's or table's column.</param>
/// <param name="Type">The feature's declared type, which decides what is computed (see <see cref="FeatureStatistics.Kind"/>).</param>
public sealed record StatisticsColumn(string Feature, string Column, DataType Type)
{
    /// <summary>What is computed for values of <paramref name="type"/>: numbers and times are numeric, strings and booleans categorical, the rest only counted.</summary>
    public static string KindOf(DataType type) => type switch
    {
        { IsList: true } => FeatureStatistics.OtherKind,
        { Scalar: ScalarType.Int32 or ScalarType.Int64 or ScalarType.Float32 or ScalarType.Float64 or ScalarType.UnixTimestamp } => FeatureStatistics.NumericKind,
        { Scalar: ScalarType.String or ScalarType.Bool } => FeatureStatistics.CategoricalKind,
        _ => FeatureStatistics.OtherKind,
    };

    /// <summary>What is computed for this column.</summary>
    public string Kind => KindOf(Type);
}
