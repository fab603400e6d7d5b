using Granary.Materialization;
using Granary.Online;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Granary.Server.Rest;

/// <summary>
/// <c>POST /materialize</c> and <c>POST /materialize-incremental</c>, Feast's bodies. They run to the
/// end (no timeout): a client that disconnects cancels the run, and since an interval is recorded only
/// after its writes, running it again is safe.
/// </summary>
internal sealed class MaterializeEndpoints(FeatureStore store, IOptions<GranaryServerOptions> options)
{
    private readonly long _maxBodyBytes = options.Value.MaxBodyBytes;

    public async Task MaterializeAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var document = await RequestBody.ReadAsync(context, _maxBodyBytes, cancellationToken).ConfigureAwait(false);
        var body = RequestBody.Root(document);
        var start = RequestBody.Time(body, "start_ts");
        var end = RequestBody.Time(body, "end_ts");
        var views = RequestBody.StringList(body, "feature_views");
        var done = await store.MaterializeAsync(start, end, views, null, cancellationToken).ConfigureAwait(false);
        await WriteAsync(context, done).ConfigureAwait(false);
    }

    public async Task MaterializeIncrementalAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var document = await RequestBody.ReadAsync(context, _maxBodyBytes, cancellationToken).ConfigureAwait(false);
        var body = RequestBody.Root(document);
        var end = RequestBody.Time(body, "end_ts");
        var views = RequestBody.StringList(body, "feature_views");
        var done = await store.MaterializeIncrementalAsync(end, views, null, cancellationToken).ConfigureAwait(false);
        await WriteAsync(context, done).ConfigureAwait(false);
    }

    private static Task WriteAsync(HttpContext context, IReadOnlyList<MaterializedView> done) =>
        Results.Json(new OpenApiSchemas.MaterializeResponse(done.Select(v => new OpenApiSchemas.MaterializedView(
            v.View, OnlineResponseJson.FormatTime(v.Start), OnlineResponseJson.FormatTime(v.End), v.Rows)).ToArray())).ExecuteAsync(context);
}
