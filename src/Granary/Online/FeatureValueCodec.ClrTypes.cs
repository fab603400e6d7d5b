using Granary.Definitions;

namespace Granary.Online;

public static partial class FeatureValueCodec
{
    /// <summary>
    /// The .NET type that <see cref="FeatureValues.Convert"/> returns and <see cref="Decode"/> gives for a
    /// dtype: <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/>,
    /// <see cref="string"/>, <see cref="byte"/>[], <see cref="bool"/> or <see cref="DateTimeOffset"/>,
    /// or an array of it for a list.
    /// </summary>
    public static Type ClrTypeOf(DataType type)
    {
        var scalar = type.Scalar switch
        {
            ScalarType.Int32 => typeof(int),
            ScalarType.Int64 => typeof(long),
            ScalarType.Float32 => typeof(float),
            ScalarType.Float64 => typeof(double),
            ScalarType.String => typeof(string),
            ScalarType.Bytes => typeof(byte[]),
            ScalarType.Bool => typeof(bool),
            ScalarType.UnixTimestamp => typeof(DateTimeOffset),
            _ => throw new InvalidOperationException($"unknown scalar {type.Scalar}"),
        };
        return type.IsList ? scalar.MakeArrayType() : scalar;
    }
}
