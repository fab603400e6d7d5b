using Microsoft.AspNetCore.Http.Metadata;

namespace Granary.Server.Grpc;

/// <summary>
/// Endpoint metadata that lifts the server's HTTP request body limit (Kestrel's <c>MaxRequestBodySize</c>,
/// which <c>granary serve</c> sets to <c>max_body_bytes</c>) for a gRPC method: the message limit of
/// Grpc.AspNetCore, also <c>max_body_bytes</c>, reads a message's length before its bytes and answers
/// RESOURCE_EXHAUSTED, where the HTTP limit, counting the 5 bytes of framing too, would reset the stream.
/// </summary>
internal sealed class UnlimitedRequestBody : IRequestSizeLimitMetadata
{
    public static readonly UnlimitedRequestBody Instance = new();

    private UnlimitedRequestBody()
    {
    }

    public long? MaxRequestBodySize => null;
}
