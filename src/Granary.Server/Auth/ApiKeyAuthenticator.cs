using System.Security.Cryptography;
using System.Text;
using Granary.Server.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Server.Auth;

/// <summary>
/// Checks the API key of a request (<c>Authorization: Bearer KEY</c> or <c>X-API-Key: KEY</c>)
/// against the configured keys. Keys are compared as SHA-256 digests in constant time, against
/// every configured key, so that timing tells nothing of a key's length, content or position.
/// </summary>
internal sealed class ApiKeyAuthenticator
{
    private readonly (byte[] Digest, FeatureServerScopes Scopes)[] _keys;

    public ApiKeyAuthenticator(IOptions<GranaryServerOptions> options, ILogger<ApiKeyAuthenticator> logger)
    {
        var keys = options.Value.ApiKeys;
        _keys = keys.Select(k => (SHA256.HashData(Encoding.UTF8.GetBytes(k.Key)), k.Scopes)).ToArray();
        if (keys.Count == 0)
        {
            Log.AuthDisabled(logger);
        }
        else
        {
            Log.ApiKeysConfigured(logger, keys.Count, string.Join(", ", keys.Select(k => k.ToString())));
        }
    }

    /// <summary>Whether keys are required at all.</summary>
    public bool Enabled => _keys.Length > 0;

    /// <summary>Null when the request may go on; otherwise the 401 or 403 to answer.</summary>
    public ServerError? Check(HttpContext context, FeatureServerScopes required)
    {
        if (!Enabled || required == FeatureServerScopes.None)
        {
            return null;
        }

        var presented = Presented(context.Request.Headers);
        return presented is null
            ? ServerError.Unauthorized("an API key is required: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'")
            : Check(presented, required);
    }

    /// <summary>
    /// Null when <paramref name="presented"/> grants <paramref name="required"/> (or keys are off);
    /// otherwise the 401 or 403 to answer. For callers that carry the key elsewhere than in a header (the UI's cookie).
    /// </summary>
    public ServerError? Check(string presented, FeatureServerScopes required)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (!Enabled || required == FeatureServerScopes.None)
        {
            return null;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var granted = FeatureServerScopes.None;
        var matched = false;
        foreach (var (key, scopes) in _keys)
        {
            var equal = CryptographicOperations.FixedTimeEquals(digest, key);
            matched |= equal;
            granted |= equal ? scopes : FeatureServerScopes.None;
        }

        if (!matched)
        {
            return ServerError.Unauthorized("the API key is not valid");
        }

        return (granted & required) == required
            ? null
            : ServerError.Forbidden($"the API key lacks the '{required.ToString().ToLowerInvariant()}' scope");
    }

    private static string? Presented(IHeaderDictionary headers)
    {
        var authorization = headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var header = headers["X-API-Key"].ToString();
        return header.Length > 0 ? header : null;
    }
}
