using Granary.Definitions;

namespace Granary.Tests.Definitions;

public sealed class DataTypeTests
{
    [Theory]
    [InlineData("int32", ScalarType.Int32, false)]
    [InlineData("int64", ScalarType.Int64, false)]
    [InlineData("float32", ScalarType.Float32, false)]
    [InlineData("float64", ScalarType.Float64, false)]
    [InlineData("string", ScalarType.String, false)]
    [InlineData("bytes", ScalarType.Bytes, false)]
    [InlineData("bool", ScalarType.Bool, false)]
    [InlineData("unix_timestamp", ScalarType.UnixTimestamp, false)]
    [InlineData("int64_list", ScalarType.Int64, true)]
    [InlineData("unix_timestamp_list", ScalarType.UnixTimestamp, true)]
    public void Parse_KnownName_RoundTrips(string name, ScalarType scalar, bool isList)
    {
        var type = DataType.Parse(name);

        Assert.Equal(new DataType(scalar, isList), type);
        Assert.Equal(name, type.ToString());
    }

    [Theory]
    [InlineData("float")]
    [InlineData("INT64")]
    [InlineData("list")]
    [InlineData("_list")]
    [InlineData("int64_list_list")]
    public void TryParse_UnknownName_Fails(string name) => Assert.False(DataType.TryParse(name, out _));
}
