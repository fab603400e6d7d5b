using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Granary.Server.Rest;

/// <summary><c>POST /push</c> and <c>POST /write-to-online-store</c>, Feast's bodies, through the facade's push.</summary>
internal sealed class WriteEndpoints(FeatureStore store, StoreCalls calls, IOptions<GranaryServerOptions> options)
{
    private readonly GranaryServerOptions _options = options.Value;

    public async Task PushAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var document = await RequestBody.ReadAsync(context, _options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        var body = RequestBody.Root(document);
        var source = RequestBody.String(body, "push_source_name", required: true)!;
        var columns = RequestBody.Columns(body, "df", _options.MaxEntities);
        var to = RequestBody.String(body, "to") switch
        {
            null or "online" => PushTarget.Online,
            "offline" => PushTarget.Offline,
            "online_and_offline" => PushTarget.OnlineAndOffline,
            var other => throw new ServerErrorException(ServerError.BadRequest($"'to' is '{other}'; expected online, offline or online_and_offline")),
        };
        // A push to the offline store alone does not reach the online store, so its circuit does not stop it.
        Func<CancellationToken, Task<int>> push = ct => store.PushAsync(source, columns, to, ct);
        var rows = to == PushTarget.Offline
            ? await calls.RunUnguardedAsync("write", _options.WriteTimeout, push, cancellationToken).ConfigureAwait(false)
            : await calls.RunAsync("write", _options.WriteTimeout, push, cancellationToken).ConfigureAwait(false);
        await Results.Json(new OpenApiSchemas.RowsWritten(rows)).ExecuteAsync(context).ConfigureAwait(false);
    }

    public async Task WriteToOnlineStoreAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var document = await RequestBody.ReadAsync(context, _options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        var body = RequestBody.Root(document);
        var view = RequestBody.String(body, "feature_view_name", required: true)!;
        var columns = RequestBody.Columns(body, "df", _options.MaxEntities);
        var rows = await calls.RunAsync(
            "write", _options.WriteTimeout, ct => store.WriteToOnlineStoreAsync(view, columns, ct), cancellationToken).ConfigureAwait(false);
        await Results.Json(new OpenApiSchemas.RowsWritten(rows)).ExecuteAsync(context).ConfigureAwait(false);
    }
}
