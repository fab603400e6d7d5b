using System.Data.Common;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Granary.Definitions;
using Granary.Repo;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Granary.Server;

/// <summary>How a failed request is answered, over REST and gRPC alike: what it means and what went wrong.</summary>
/// <param name="Kind">The meaning: HTTP status, gRPC status code and the kind for metrics and logs.</param>
/// <param name="Detail">What went wrong, naming the field, object or store.</param>
internal sealed record ServerError(ErrorKind Kind, string Detail)
{
    /// <summary>The HTTP status of the <see cref="Kind"/>.</summary>
    public int Status => Kind.Status;

    public static ServerError BadRequest(string detail) => new(ErrorKind.BadRequest, detail);

    public static ServerError Unauthorized(string detail) => new(ErrorKind.Unauthorized, detail);

    public static ServerError Forbidden(string detail) => new(ErrorKind.Forbidden, detail);

    public static ServerError NotFound(string detail) => new(ErrorKind.NotFound, detail);

    public static ServerError MethodNotAllowed(string detail) => new(ErrorKind.MethodNotAllowed, detail);

    public static ServerError PayloadTooLarge(string detail) => new(ErrorKind.PayloadTooLarge, detail);

    public static ServerError Unavailable(string detail) => new(ErrorKind.Unavailable, detail);

    public static ServerError Internal(string requestId) => new(ErrorKind.Internal, $"internal error; the server log has the details of request {requestId}");

    /// <summary>The gRPC form: the kind's status code with the detail as its message.</summary>
    public RpcException ToRpcException() => new(new Status(Kind.Grpc, Detail));

    /// <summary>
    /// Classifies an exception, for both protocols: a <see cref="GranaryException"/> is the caller's mistake
    /// (400, or 404 for a feature service, view or feature the registry lacks) unless it wraps a store failure;
    /// a body the server cannot read or decode is the caller's too; timeouts and store client failures are 503;
    /// anything else is null, for <see cref="ServerErrorReporter"/> to decide.
    /// </summary>
    public static ServerError? From(Exception exception) => exception switch
    {
        ServerErrorException e => e.Error,
        DefinitionNotFoundException e => NotFound(e.Message),
        RepoValidationException e => BadRequest(string.Join("; ", e.Errors)),
        JsonException e => BadRequest($"malformed JSON: {e.Message}"),

        // System.Text.Json checks UTF-8 inside strings only when it decodes them, wherever that happens.
        InvalidOperationException { InnerException: DecoderFallbackException e } => BadRequest($"the request body is not valid UTF-8: {e.Message}"),

        // Kestrel's own complaints about the body (cut short, a malformed chunk, too slow); an IOException, so before the rule for stores.
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => PayloadTooLarge(e.Message),
        BadHttpRequestException e => BadRequest($"the request body could not be read: {e.Message}"),
        TimeoutException e => Unavailable($"a store timed out: {e.Message}"),
        GranaryException { InnerException: null or GranaryException } e => BadRequest(e.Message),
        GranaryException e => Unavailable(e.Message),
        DbException or IOException or SocketException => Unavailable($"a store failed: {exception.Message}"),
        _ => null,
    };
}
