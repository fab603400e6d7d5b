using Microsoft.AspNetCore.Http;

namespace Granary.Server.Rest;

/// <summary>
/// The id of a request, for logs and for the caller: the caller's <c>X-Request-Id</c> when it sent
/// a sane one, else the server's trace identifier; echoed in the response's <c>X-Request-Id</c>.
/// </summary>
internal static class RequestIds
{
    public const string Header = "X-Request-Id";

    private static readonly object ItemKey = new();

    public static string Of(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var known) && known is string id)
        {
            return id;
        }

        var given = context.Request.Headers[Header].ToString();
        id = IsSane(given) ? given : context.TraceIdentifier;
        context.Items[ItemKey] = id;
        if (!context.Response.HasStarted)
        {
            context.Response.Headers[Header] = id;
        }

        return id;
    }

    private static bool IsSane(string id) =>
        id.Length is > 0 and <= 128 && id.All(c => c is > ' ' and < (char)127);
}
