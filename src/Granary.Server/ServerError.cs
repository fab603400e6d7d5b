using System.Data.Common;
using System.Net.Sockets;
using System.Text.Json;
using Granary.Definitions;
using Granary.Repo;

namespace Granary.Server;

/// <summary>How a failed request is answered: an HTTP status, a kind for metrics and logs, and a message for the caller.</summary>
/// <param name="Status">The HTTP status; gRPC maps it to a status code.</param>
/// <param name="Kind">bad_request, unauthorized, forbidden, not_found, payload_too_large, unavailable or internal.</param>
/// <param name="Detail">What went wrong, naming the field or store.</param>
internal sealed record ServerError(int Status, string Kind, string Detail)
{
    public static ServerError BadRequest(string detail) => new(400, "bad_request", detail);

    public static ServerError Unauthorized(string detail) => new(401, "unauthorized", detail);

    public static ServerError Forbidden(string detail) => new(403, "forbidden", detail);

    public static ServerError PayloadTooLarge(string detail) => new(413, "payload_too_large", detail);

    public static ServerError Unavailable(string detail) => new(503, "unavailable", detail);

    public static ServerError Internal(string requestId) => new(500, "internal", $"internal error; the server log has the details of request {requestId}");

    /// <summary>
    /// Classifies an exception: a <see cref="GranaryException"/> is the caller's mistake (400, or 404
    /// for an unknown feature service) unless it wraps a store failure; timeouts and store client
    /// failures are 503; anything else is null, for the caller to decide (see <see cref="Rest.FeatureServerFilter"/>).
    /// </summary>
    public static ServerError? From(Exception exception) => exception switch
    {
        ServerErrorException e => e.Error,
        FeatureServiceNotFoundException e => new(404, "not_found", e.Message),
        RepoValidationException e => BadRequest(string.Join("; ", e.Errors)),
        JsonException e => BadRequest($"malformed JSON: {e.Message}"),
        TimeoutException e => Unavailable($"a store timed out: {e.Message}"),
        GranaryException { InnerException: null or GranaryException } e => BadRequest(e.Message),
        GranaryException e => Unavailable(e.Message),
        DbException or IOException or SocketException => Unavailable($"a store failed: {exception.Message}"),
        _ => null,
    };
}
