using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Rest;

/// <summary>Writes a <see cref="ServerError"/> as an RFC 9457 problem details body: the REST form of every failure.</summary>
internal static class ProblemJson
{
    public static async Task WriteAsync(HttpContext context, ServerError error, string requestId)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = "application/problem+json";
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        await using (var writer = new Utf8JsonWriter(response.BodyWriter, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("type", $"https://httpstatuses.io/{error.Status}");
            writer.WriteString("title", ReasonPhrases(error.Status));
            writer.WriteNumber("status", error.Status);
            writer.WriteString("detail", error.Detail);
            writer.WriteString("instance", context.Request.Path);
            writer.WriteString("kind", error.Kind.Name);
            writer.WriteString("request_id", requestId);
            writer.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static string ReasonPhrases(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
