using System.Net;
using System.Text.Json;
using Granary.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Granary.Benchmarks.Server;

/// <summary>
/// The floor under the feature server's latency on this machine: ASP.NET Core hosted as <c>granary serve</c> hosts it
/// (slim builder, no logging providers, workstation concurrent GC), whose <c>POST /get-online-features</c> parses the
/// request body into a <see cref="JsonDocument"/> and answers with the bytes the real server answered for the same
/// body, and whose <c>GET /health</c> answers "Healthy". No store, no feature code: what a request costs here is the
/// socket, Kestrel, the thread pool and the scheduler. <c>bench/server-wrk.sh</c> loads it beside the real server.
/// </summary>
internal sealed class KestrelFloor : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelFloor(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<KestrelFloor> StartAsync(byte[] answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = LoopbackPort.Free();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        app.MapPost("/get-online-features", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = answer.Length;
            await context.Response.Body.WriteAsync(answer, context.RequestAborted);
        });
        app.MapGet("/health", () => "Healthy");
        await app.StartAsync();
        return new KestrelFloor(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
