using System.Text.Json;
using Granary.Definitions;
using Granary.Online;

namespace Granary.Tests.Online;

public sealed class FeatureValueCodecConvertTests
{
    private static Field F(string dtype) => new() { Name = "f", Dtype = DataType.Parse(dtype) };

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void ConvertValue_JsonInteger_KeepsIntegerType()
    {
        Assert.Equal(12L, FeatureValueCodec.ConvertValue(F("int64"), Json("12")));
        Assert.Equal(12, FeatureValueCodec.ConvertValue(F("int32"), Json("12")));
        Assert.Equal(12.0, FeatureValueCodec.ConvertValue(F("float64"), Json("12")));
    }

    [Fact]
    public void ConvertValue_JsonTimes_AreUtcInstants()
    {
        // 2024-01-02T00:30+01:00 is 2024-01-01T23:30Z; 1704067200 s after the epoch is 2024-01-01T00:00Z.
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 23, 30, 0, TimeSpan.Zero), FeatureValueCodec.ConvertValue(F("unix_timestamp"), Json("\"2024-01-02T00:30:00+01:00\"")));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), FeatureValueCodec.ConvertValue(F("unix_timestamp"), Json("1704067200")));
    }

    [Fact]
    public void ConvertValue_JsonListsAndSpecialStrings_ConvertElementwise()
    {
        Assert.Equal(new[] { 1L, 2L }, FeatureValueCodec.ConvertValue(F("int64_list"), Json("[1, 2]")));
        Assert.Equal(new[] { "a", null }, FeatureValueCodec.ConvertValue(F("string_list"), Json("[\"a\", null]")));
        Assert.Equal(new byte[] { 1, 2, 3 }, FeatureValueCodec.ConvertValue(F("bytes"), Json("\"AQID\"")));
        Assert.Equal(float.NaN, FeatureValueCodec.ConvertValue(F("float32"), Json("\"NaN\"")));
        Assert.Null(FeatureValueCodec.ConvertValue(F("string"), Json("null")));
    }

    [Theory]
    [InlineData("int64", "1.5", "feature 'f' expects int64 (long); got a value of type Double")]
    [InlineData("int32", "3000000000", "feature 'f' expects int32; the value 3000000000 is out of its range")]
    [InlineData("string", "1", "feature 'f' expects string (string); got a value of type Int64")]
    [InlineData("int64_list", "[1, null]", "feature 'f' (int64_list) has a null list element; only string and bytes lists may hold nulls")]
    [InlineData("unix_timestamp", "\"soon\"", "feature 'f' expects unix_timestamp; 'soon' is not an ISO-8601 time")]
    [InlineData("bool", "{}", "feature 'f' expects bool; got a JSON object")]
    public void ConvertValue_WrongJsonValue_ThrowsNamingFeature(string dtype, string json, string expected)
    {
        var error = Assert.Throws<GranaryException>(() => FeatureValueCodec.ConvertValue(F(dtype), Json(json)));

        Assert.Equal(expected, error.Message);
    }
}
