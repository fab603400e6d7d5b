using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Granary.Serving.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Granary.Server.Tests;

/// <summary>The gRPC ServingService in process: the same values, statuses and times as REST, and the same errors as status codes.</summary>
public sealed class GrpcTests : InProcessServerTests
{
    public static GetOnlineFeaturesRequest Request1001() => new()
    {
        FeatureService = "activity",
        Entities = { ["driver_id"] = new RepeatedValue { Val = { new Value { Int64Val = 1001 }, new Value { Int64Val = 1003 } } } },
    };

    [Fact]
    public async Task GetOnlineFeatures_FeatureService_ReturnsValuesStatusesAndTimes()
    {
        var response = await Factory.GrpcClient().GetOnlineFeaturesAsync(Request1001());

        Assert.Equal(["driver_id", "conv_rate", "trips", "tier"], response.Metadata.FeatureNames.Val);
        Assert.Equal([1001L, 1003L], response.Results[0].Values.Select(v => v.Int64Val));
        Assert.Equal(0.6, response.Results[1].Values[0].DoubleVal);
        Assert.Equal(11L, response.Results[2].Values[0].Int64Val);
        Assert.Equal("gold", response.Results[3].Values[0].StringVal);
        Assert.Equal(Value.ValOneofCase.NullVal, response.Results[3].Values[1].ValCase);
        Assert.Equal([FieldStatus.Present, FieldStatus.NotFound], response.Results[1].Statuses);
        Assert.Equal(Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 1, 11, 0, 0, TimeSpan.Zero)), response.Results[1].EventTimestamps[0]);
        Assert.Equal(new Timestamp(), response.Results[1].EventTimestamps[1]);
    }

    [Fact]
    public async Task GetOnlineFeatures_UnknownService_NotFound()
    {
        var request = Request1001();
        request.FeatureService = "nope";

        var error = await Assert.ThrowsAsync<RpcException>(() => Factory.GrpcClient().GetOnlineFeaturesAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("unknown feature service 'nope'", error.Status.Detail);
    }

    [Fact]
    public async Task GetOnlineFeatures_WrongKeyType_InvalidArgumentNamingColumn()
    {
        var request = new GetOnlineFeaturesRequest
        {
            Features = new FeatureList { Val = { "driver_hourly_stats:trips" } },
            Entities = { ["driver_id"] = new RepeatedValue { Val = { new Value { BoolVal = true } } } },
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => Factory.GrpcClient().GetOnlineFeaturesAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("entity column 'driver_id' has value 'True', which is not int64", error.Status.Detail);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })] // a tag that never ends
    [InlineData(new byte[] { 0x0A, 0x10, 0x61 })] // feature_service announced with 16 bytes, one sent
    [InlineData(new byte[] { 0x0F })] // field 1 with wire type 7, which does not exist
    public async Task GetOnlineFeatures_BytesThatAreNotAMessage_InvalidArgument(byte[] garbage)
    {
        // A client that sends raw bytes where a GetOnlineFeaturesRequest belongs.
        var raw = new Method<byte[], byte[]>(
            MethodType.Unary, "granary.serving.v1.ServingService", "GetOnlineFeatures", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        using var channel = GrpcChannel.ForAddress(Factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Factory.Server.CreateHandler() });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(raw, null, new CallOptions(), garbage).ResponseAsync);
        var next = await Factory.GrpcClient().GetOnlineFeaturesAsync(Request1001());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("the request is not a valid GetOnlineFeaturesRequest: ", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(4, next.Results.Count);
    }
}
