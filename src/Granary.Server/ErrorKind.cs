using Grpc.Core;

namespace Granary.Server;

/// <summary>
/// What a failure means, once for both protocols: the kind named in metrics, logs and the problem body, the
/// HTTP status REST answers with and the status code gRPC ends the call with. This is the server's one table
/// of meanings (docs/feature-server.md shows it); every failed request is answered through one of these.
/// </summary>
internal sealed class ErrorKind
{
    /// <summary>The request is malformed or names something the way it cannot be used: the caller must change it.</summary>
    public static readonly ErrorKind BadRequest = new("bad_request", 400, StatusCode.InvalidArgument);

    /// <summary>API keys are configured and the request has no valid one.</summary>
    public static readonly ErrorKind Unauthorized = new("unauthorized", 401, StatusCode.Unauthenticated);

    /// <summary>The key is valid but lacks the endpoint's scope.</summary>
    public static readonly ErrorKind Forbidden = new("forbidden", 403, StatusCode.PermissionDenied);

    /// <summary>A feature service, feature view, feature, registry object or route the server does not have (Feast answers these 404 too).</summary>
    public static readonly ErrorKind NotFound = new("not_found", 404, StatusCode.NotFound);

    /// <summary>A known path asked with a method it does not take (REST only; gRPC's nearest code is UNIMPLEMENTED).</summary>
    public static readonly ErrorKind MethodNotAllowed = new("method_not_allowed", 405, StatusCode.Unimplemented);

    /// <summary>The request body or gRPC message is larger than <c>max_body_bytes</c>.</summary>
    public static readonly ErrorKind PayloadTooLarge = new("payload_too_large", 413, StatusCode.ResourceExhausted);

    /// <summary>A bug: the log has the stack trace under the request id.</summary>
    public static readonly ErrorKind Internal = new("internal", 500, StatusCode.Internal);

    /// <summary>A store (or the registry) failed or did not answer in time: the request may succeed later, unchanged.</summary>
    public static readonly ErrorKind Unavailable = new("unavailable", 503, StatusCode.Unavailable);

    private ErrorKind(string name, int status, StatusCode grpc)
    {
        Name = name;
        Status = status;
        Grpc = grpc;
    }

    /// <summary>The kind: <c>bad_request</c>, <c>not_found</c> and so on.</summary>
    public string Name { get; }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The gRPC status code.</summary>
    public StatusCode Grpc { get; }

    public override string ToString() => Name;
}
