using System.Buffers;
using Granary.Definitions;
using Granary.Online;

namespace Granary.Tests.Online;

public sealed class FeatureValueCodecTests
{
    private static Field F(string dtype) => new() { Name = "f", Dtype = DataType.Parse(dtype) };

    private static object? RoundTrip(string dtype, object? value) =>
        FeatureValueCodec.Decode(DataType.Parse(dtype), FeatureValueCodec.Encode(F(dtype), value));

    public static TheoryData<string, object, object> Scalars => new()
    {
        { "int32", -2, -2 },
        { "int32", int.MaxValue, int.MaxValue },
        { "int64", long.MinValue, long.MinValue },
        { "float32", 1.5f, 1.5f },
        { "float64", -0.25, -0.25 },
        { "string", "héllo", "héllo" },
        { "string", string.Empty, string.Empty },
        { "bool", true, true },
        { "bool", false, false },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Decode_EncodedScalar_ReturnsSameValueAndClrType(string dtype, object value, object expected)
    {
        var decoded = RoundTrip(dtype, value);

        Assert.Equal(expected, decoded);
        Assert.IsType(expected.GetType(), decoded);
    }

    [Fact]
    public void Decode_EncodedTimestamp_ReturnsUtcInstant()
    {
        var local = new DateTimeOffset(2024, 5, 6, 9, 30, 15, TimeSpan.FromHours(2)).AddTicks(1230);

        var decoded = Assert.IsType<DateTimeOffset>(RoundTrip("unix_timestamp", local));

        // 09:30:15+02:00 is 07:30:15Z; 1230 ticks = 123 microseconds kept, nothing dropped.
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 30, 15, TimeSpan.Zero).AddTicks(1230), decoded);
        Assert.Equal(TimeSpan.Zero, decoded.Offset);
    }

    [Fact]
    public void Decode_TimestampWithSubMicrosecondTicks_TruncatesToMicroseconds()
    {
        var value = DateTimeOffset.UnixEpoch.AddTicks(15);

        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(10), RoundTrip("unix_timestamp", value));
    }

    [Fact]
    public void Decode_Bytes_ReturnsCopy()
    {
        Assert.Equal(new byte[] { 0, 255, 7 }, RoundTrip("bytes", new byte[] { 0, 255, 7 }));
        Assert.Equal(Array.Empty<byte>(), RoundTrip("bytes", Array.Empty<byte>()));
    }

    [Fact]
    public void Decode_Lists_ReturnTypedArrays()
    {
        Assert.Equal(new[] { 1, -1 }, Assert.IsType<int[]>(RoundTrip("int32_list", new[] { 1, -1 })));
        Assert.Equal(new[] { 5L, long.MaxValue }, Assert.IsType<long[]>(RoundTrip("int64_list", new[] { 5L, long.MaxValue })));
        Assert.Equal(new[] { 0.5f }, Assert.IsType<float[]>(RoundTrip("float32_list", new[] { 0.5f })));
        Assert.Equal(new[] { 1.25, 2.5 }, Assert.IsType<double[]>(RoundTrip("float64_list", new List<double> { 1.25, 2.5 })));
        Assert.Equal(new[] { true, false }, Assert.IsType<bool[]>(RoundTrip("bool_list", new[] { true, false })));
        Assert.Equal(new string?[] { "a", null, string.Empty }, Assert.IsType<string?[]>(RoundTrip("string_list", new[] { "a", null, string.Empty })));
        Assert.Equal(new byte[]?[] { [1, 2], null, [] }, Assert.IsType<byte[]?[]>(RoundTrip("bytes_list", new byte[]?[] { [1, 2], null, [] })));
        Assert.Equal(
            new[] { DateTimeOffset.UnixEpoch.AddSeconds(1) },
            Assert.IsType<DateTimeOffset[]>(RoundTrip("unix_timestamp_list", new[] { DateTimeOffset.UnixEpoch.AddSeconds(1) })));
    }

    [Fact]
    public void Decode_EmptyList_ReturnsEmptyArrayNotNull()
    {
        Assert.Equal(Array.Empty<long>(), RoundTrip("int64_list", Array.Empty<long>()));
    }

    [Theory]
    [InlineData("int32")]
    [InlineData("string")]
    [InlineData("bytes")]
    [InlineData("float64_list")]
    public void Encode_Null_IsZeroBytesAndDecodesToNull(string dtype)
    {
        var encoded = FeatureValueCodec.Encode(F(dtype), null);

        Assert.Empty(encoded);
        Assert.Null(FeatureValueCodec.Decode(DataType.Parse(dtype), encoded));
    }

    [Fact]
    public void Encode_Scalars_MatchHandWorkedBytes()
    {
        // Format byte 1, then the little-endian payload.
        Assert.Equal(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0 }, FeatureValueCodec.Encode(F("int64"), 1L));
        Assert.Equal(new byte[] { 1, 0xFE, 0xFF, 0xFF, 0xFF }, FeatureValueCodec.Encode(F("int32"), -2));

        // 1.5f = 0x3FC00000.
        Assert.Equal(new byte[] { 1, 0x00, 0x00, 0xC0, 0x3F }, FeatureValueCodec.Encode(F("float32"), 1.5f));

        // "hé": h = 0x68, é = C3 A9 in UTF-8.
        Assert.Equal(new byte[] { 1, 0x68, 0xC3, 0xA9 }, FeatureValueCodec.Encode(F("string"), "hé"));

        // One second after the epoch = 1,000,000 µs = 0x0F4240.
        Assert.Equal(
            new byte[] { 1, 0x40, 0x42, 0x0F, 0, 0, 0, 0, 0 },
            FeatureValueCodec.Encode(F("unix_timestamp"), DateTimeOffset.UnixEpoch.AddSeconds(1)));
        Assert.Equal(new byte[] { 1, 1 }, FeatureValueCodec.Encode(F("bool"), true));
    }

    [Fact]
    public void Encode_StringList_MatchesHandWorkedBytes()
    {
        // count 3; "a" behind length+1 = 2; null as 0; "" as 1.
        Assert.Equal(new byte[] { 1, 3, 2, 0x61, 0, 1 }, FeatureValueCodec.Encode(F("string_list"), new[] { "a", null, string.Empty }));
    }

    [Fact]
    public void Encode_IntForInt64_ConvertsToLong()
    {
        Assert.Equal(7L, Assert.IsType<long>(RoundTrip("int64", 7)));
        Assert.Equal(new[] { 1L, 2L }, Assert.IsType<long[]>(RoundTrip("int64_list", new[] { 1, 2 })));
    }

    [Fact]
    public void Encode_LongThatFitsForInt32_ConvertsToInt()
    {
        Assert.Equal(-5, Assert.IsType<int>(RoundTrip("int32", -5L)));
    }

    [Fact]
    public void Encode_LongOutOfInt32Range_ThrowsNamingFeature()
    {
        var error = Assert.Throws<GranaryException>(() => FeatureValueCodec.Encode(F("int32"), 3_000_000_000L));

        Assert.Contains("'f'", error.Message, StringComparison.Ordinal);
        Assert.Contains("int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_DoubleForFloat32_ConvertsToFloat()
    {
        Assert.Equal(0.5f, Assert.IsType<float>(RoundTrip("float32", 0.5)));
    }

    [Fact]
    public void Encode_FloatAndIntForFloat64_ConvertToDouble()
    {
        Assert.Equal(0.25, Assert.IsType<double>(RoundTrip("float64", 0.25f)));
        Assert.Equal(3.0, Assert.IsType<double>(RoundTrip("float64", 3)));
    }

    [Fact]
    public void Encode_UnspecifiedDateTime_IsTakenAsUtc()
    {
        var decoded = RoundTrip("unix_timestamp", new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Unspecified));

        Assert.Equal(new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero), decoded);
    }

    [Theory]
    [InlineData("int64", "text")]
    [InlineData("string", 5)]
    [InlineData("bool", 1)]
    [InlineData("int32", 1.5)]
    [InlineData("int64_list", "text")]
    [InlineData("float64_list", 2.0)]
    public void Encode_WrongType_ThrowsNamingFeatureAndExpectedType(string dtype, object value)
    {
        var error = Assert.Throws<GranaryException>(() => FeatureValueCodec.Encode(F(dtype), value));

        Assert.Contains("feature 'f' expects " + dtype, error.Message, StringComparison.Ordinal);
        Assert.Contains(value.GetType().Name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_NullElementInNumericList_Throws()
    {
        var error = Assert.Throws<GranaryException>(() => FeatureValueCodec.Encode(F("int64_list"), new long?[] { 1, null }));

        Assert.Contains("null list element", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TruncatedValue_ThrowsGranaryException()
    {
        Assert.Throws<GranaryException>(() => FeatureValueCodec.Decode(DataType.Int64, new byte[] { 1, 2, 3 }));
        Assert.Throws<GranaryException>(() => FeatureValueCodec.Decode(DataType.Parse("string_list"), new byte[] { 1, 2, 5, 0x61 }));
    }

    [Fact]
    public void Decode_UnknownFormatByte_ThrowsGranaryException()
    {
        Assert.Throws<GranaryException>(() => FeatureValueCodec.Decode(DataType.Int64, new byte[] { 9, 0, 0, 0, 0, 0, 0, 0, 0 }));
    }

    [Fact]
    public void EncodeRow_TwoFeatures_MatchesHandWorkedBytes()
    {
        Field[] schema = [new() { Name = "a", Dtype = DataType.Parse("int32") }, new() { Name = "b", Dtype = DataType.String }];
        var row = new ArrayBufferWriter<byte>();

        FeatureValueCodec.EncodeRow(row, schema, [7, null], new ArrayBufferWriter<byte>());

        // a: length 5, then 1 + 07 00 00 00; b: null, length 0.
        Assert.Equal(new byte[] { 5, 1, 7, 0, 0, 0, 0 }, row.WrittenSpan.ToArray());
    }

    [Fact]
    public void SplitRow_EncodedRow_LocatesEachValue()
    {
        Field[] schema = [F("string"), F("int64"), F("bool")];
        var row = new ArrayBufferWriter<byte>();
        FeatureValueCodec.EncodeRow(row, schema, ["xy", null, true], new ArrayBufferWriter<byte>());
        var ranges = new Range[3];

        FeatureValueCodec.SplitRow(row.WrittenSpan, ranges);

        // [3, 1 'x' 'y'] [0] [2, 1 1]: values at 1..4, 5..5, 6..8.
        Assert.Equal(new[] { new Range(1, 4), new Range(5, 5), new Range(6, 8) }, ranges);
        Assert.Equal("xy", FeatureValueCodec.Decode(DataType.String, row.WrittenSpan[ranges[0]]));
        Assert.Equal(true, FeatureValueCodec.Decode(DataType.Parse("bool"), row.WrittenSpan[ranges[2]]));
    }

    [Fact]
    public void SplitRow_RowWithFewerValues_ThrowsGranaryException()
    {
        Assert.Throws<GranaryException>(() => FeatureValueCodec.SplitRow(new byte[] { 2, 1, 1 }, new Range[2]));
    }
}
