using System.Text.Json;
using Granary.Online;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Granary.Server.Rest;

/// <summary><c>POST /get-online-features</c>: Feast's request in, the body the CLI's json format prints out.</summary>
internal sealed class OnlineFeaturesEndpoint(FeatureStore store, StoreCalls calls, IOptions<GranaryServerOptions> options)
{
    private readonly GranaryServerOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var document = await RequestBody.ReadAsync(context, _options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        var body = RequestBody.Root(document);
        var request = new OnlineFeaturesRequest
        {
            Features = RequestBody.StringList(body, "features"),
            FeatureService = RequestBody.String(body, "feature_service"),
            Entities = RequestBody.Columns(body, "entities", _options.MaxEntities),
            FullFeatureNames = RequestBody.Bool(body, "full_feature_names"),
            RequestId = RequestIds.Of(context),
        };
        var response = await calls.RunAsync(
            "read", _options.ReadTimeout, ct => store.GetOnlineFeaturesAsync(request, ct), cancellationToken, () => store.CheckOnlineRequest(request)).ConfigureAwait(false);

        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            OnlineResponseJson.Write(writer, response);
        }

        await context.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
