using System.Net;
using System.Security.Cryptography;
using Granary.Server;
using Granary.Server.Auth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Granary.Ui.Hosting;

/// <summary>
/// Who may use the UI. With API keys configured, a key with the <c>read</c> scope, asked once on the
/// sign-in page and kept in an HttpOnly, SameSite=Strict cookie, protected by ASP.NET Core data
/// protection (the cookie never holds the key in clear) and checked on every request by the feature
/// server's own <see cref="ApiKeyAuthenticator"/>. Without keys, loopback clients only unless the host
/// allows others (<see cref="GranaryUiOptions.AllowRemoteWithoutKeys"/>).
/// </summary>
internal sealed class UiAccess(ApiKeyAuthenticator authenticator, GranaryUiOptions options, IDataProtectionProvider protection)
{
    /// <summary>The cookie that carries the protected key.</summary>
    public const string CookieName = "granary_ui_key";

    private readonly IDataProtector _protector = protection.CreateProtector("Granary.Ui.ApiKey.v1");

    /// <summary>Whether a key is needed.</summary>
    public bool KeysRequired => authenticator.Enabled;

    /// <summary>Null when the client may be served at all; otherwise why not (the loopback rule).</summary>
    public string? CheckClient(HttpContext context)
    {
        if (KeysRequired || options.AllowRemoteWithoutKeys)
        {
            return null;
        }

        // No address: an in-process test host or a Unix socket, both on this machine.
        var remote = context.Connection.RemoteIpAddress;
        return remote is null || IPAddress.IsLoopback(remote)
            ? null
            : "without API keys the Granary UI answers only on this machine (loopback); set feature_server.api_keys in granary.yaml to open it to others";
    }

    /// <summary>Null when the request's cookie holds a key with the read scope (or no key is needed); otherwise why not.</summary>
    public ServerError? CheckKey(HttpContext context)
    {
        if (!KeysRequired)
        {
            return null;
        }

        var key = ReadCookie(context);
        return key is null
            ? ServerError.Unauthorized("sign in with an API key that has the read scope")
            : authenticator.Check(key, FeatureServerScopes.Read);
    }

    /// <summary>Null when <paramref name="key"/> grants the read scope; otherwise the feature server's reason.</summary>
    public ServerError? CheckPresented(string key) => authenticator.Check(key, FeatureServerScopes.Read);

    /// <summary>Keeps <paramref name="key"/> in the cookie, for paths under <paramref name="basePath"/>.</summary>
    public void SignIn(HttpContext context, string key, string basePath) =>
        context.Response.Cookies.Append(CookieName, _protector.Protect(key), Cookie(context, basePath));

    /// <summary>Forgets the key.</summary>
    public static void SignOut(HttpContext context, string basePath) =>
        context.Response.Cookies.Delete(CookieName, Cookie(context, basePath));

    private string? ReadCookie(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            // Protected by another process or before a restart (ephemeral keys): ask again.
            return null;
        }
    }

    private static CookieOptions Cookie(HttpContext context, string basePath) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = basePath,
        IsEssential = true,
    };
}
