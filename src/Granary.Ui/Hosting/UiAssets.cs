using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Granary.Ui.Hosting;

/// <summary>The UI's stylesheet and script, embedded in the assembly and served with a content hash as version.</summary>
internal sealed class UiAssets
{
    private readonly Dictionary<string, (byte[] Content, string ContentType)> _files = new(StringComparer.Ordinal);

    public UiAssets()
    {
        foreach (var (name, type) in new[] { ("ui.css", "text/css; charset=utf-8"), ("ui.js", "text/javascript; charset=utf-8") })
        {
            using var stream = typeof(UiAssets).Assembly.GetManifestResourceStream($"Granary.Ui.Assets.{name}")
                ?? throw new InvalidOperationException($"the UI asset {name} is not embedded in {typeof(UiAssets).Assembly.GetName().Name}");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            _files[name] = (copy.ToArray(), type);
        }

        Version = Convert.ToHexStringLower(SHA256.HashData(_files.Values.SelectMany(f => f.Content).ToArray()))[..12];
    }

    /// <summary>Changes when any asset changes; asset URLs carry it, so that they can be cached for long.</summary>
    public string Version { get; }

    /// <summary>Answers <c>GET /assets/{name}</c>.</summary>
    public async Task ServeAsync(HttpContext context, string name)
    {
        if (!_files.TryGetValue(name, out var file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = file.ContentType;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        context.Response.ContentLength = file.Content.Length;
        await context.Response.Body.WriteAsync(file.Content, context.RequestAborted).ConfigureAwait(false);
    }
}
