using Granary.Hosting;
using Granary.Server;
using Granary.Server.Auth;
using Granary.Server.Grpc;
using Granary.Server.Rest;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Schemas = Granary.Server.Rest.OpenApiSchemas;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Granary feature server's endpoints; pair with <c>AddGranaryFeatureServer</c>.</summary>
public static class GranaryFeatureServerEndpointRouteBuilderExtensions
{
    /// <summary>The name of the OpenAPI document, served at <c>/openapi/granary.json</c>.</summary>
    public const string OpenApiDocumentName = "granary";

    /// <summary>
    /// Maps the REST API (Feast's <c>/get-online-features</c>, <c>/push</c>,
    /// <c>/write-to-online-store</c>, <c>/materialize</c>, <c>/materialize-incremental</c>,
    /// <c>/health</c> and the registry under <c>/api/v1/</c>), the probes <c>/health/live</c> and <c>/health/ready</c>, the gRPC <c>ServingService</c>,
    /// Prometheus <c>/metrics</c> and the OpenAPI document at <c>/openapi/granary.json</c>.
    /// </summary>
    /// <returns>The REST endpoints, for conventions such as <c>RequireHost</c>.</returns>
    public static RouteGroupBuilder MapGranaryFeatureServer(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var online = services.GetRequiredService<OnlineFeaturesEndpoint>();
        var writes = services.GetRequiredService<WriteEndpoints>();
        var materialize = services.GetRequiredService<MaterializeEndpoints>();
        var health = services.GetRequiredService<HealthEndpoint>();
        var registry = services.GetRequiredService<RegistryEndpoints>();

        var rest = endpoints.MapGroup(string.Empty).AddEndpointFilter<FeatureServerFilter>();
        rest.MapPost("/get-online-features", (HttpContext c, CancellationToken ct) => online.HandleAsync(c, ct))
            .WithTags("serving").WithName("GetOnlineFeatures").WithSummary("The latest feature values of entity rows (Feast's request and response)")
            .Body<Schemas.GetOnlineFeaturesRequest>().Produces<Schemas.GetOnlineFeaturesResponse>()
            .Problems(400, 401, 403, 404, 413, 503).WithMetadata(new RequiredScope(FeatureServerScopes.Read));
        rest.MapPost("/push", (HttpContext c, CancellationToken ct) => writes.PushAsync(c, ct))
            .WithTags("writing").WithName("Push").WithSummary("Rows for a push source, to the online store, the offline store or both; all or nothing")
            .Body<Schemas.PushRequest>().Produces<Schemas.RowsWritten>()
            .Problems(400, 401, 403, 413, 503).WithMetadata(new RequiredScope(FeatureServerScopes.Write));
        rest.MapPost("/write-to-online-store", (HttpContext c, CancellationToken ct) => writes.WriteToOnlineStoreAsync(c, ct))
            .WithTags("writing").WithName("WriteToOnlineStore").WithSummary("Rows of one feature view, straight to the online store")
            .Body<Schemas.WriteToOnlineStoreRequest>().Produces<Schemas.RowsWritten>()
            .Problems(400, 401, 403, 413, 503).WithMetadata(new RequiredScope(FeatureServerScopes.Write));
        rest.MapPost("/materialize", (HttpContext c, CancellationToken ct) => materialize.MaterializeAsync(c, ct))
            .WithTags("materialization").WithName("Materialize").WithSummary("Load the latest values with start_ts <= event time <= end_ts online")
            .Body<Schemas.MaterializeRequest>().Produces<Schemas.MaterializeResponse>()
            .Problems(400, 401, 403, 413, 503).WithMetadata(new RequiredScope(FeatureServerScopes.Admin));
        rest.MapPost("/materialize-incremental", (HttpContext c, CancellationToken ct) => materialize.MaterializeIncrementalAsync(c, ct))
            .WithTags("materialization").WithName("MaterializeIncremental").WithSummary("Materialize each view from its last run (or end_ts minus its ttl) up to end_ts")
            .Body<Schemas.MaterializeIncrementalRequest>().Produces<Schemas.MaterializeResponse>()
            .Problems(400, 401, 403, 413, 503).WithMetadata(new RequiredScope(FeatureServerScopes.Admin));
        rest.MapGet("/health", (HttpContext c, CancellationToken ct) => health.HandleAsync(c, ct))
            .WithTags("health").WithName("Health").WithSummary("200 when the registry and the online store answer, else 503; needs no key")
            .Produces<Schemas.Health>().Problems(503);

        var api = rest.MapGroup("/api/v1").WithTags("registry").WithMetadata(new RequiredScope(FeatureServerScopes.Read));
        api.MapGet("/projects", (HttpContext c, CancellationToken ct) => registry.ProjectsAsync(c, ct))
            .WithName("ListProjects").WithSummary("The projects of the registry with their versions").Produces<System.Text.Json.Nodes.JsonObject>().Problems(401, 403);
        api.MapGet("/projects/{name}", (HttpContext c, string name, CancellationToken ct) => registry.ProjectAsync(c, name, ct))
            .WithName("GetProject").WithSummary("One project").Produces<System.Text.Json.Nodes.JsonObject>().Problems(401, 403, 404);
        foreach (var kind in new[] { "entities", "data_sources", "feature_views", "feature_services" })
        {
            api.MapGet($"/{kind}", (HttpContext c, CancellationToken ct) => registry.ListAsync(c, kind, ct))
                .WithName($"List_{kind}").WithSummary($"Every object of the kind {kind} (?project=NAME for another project)")
                .Produces<System.Text.Json.Nodes.JsonObject>().Problems(401, 403, 404);
            api.MapGet($"/{kind}/{{name}}", (HttpContext c, string name, CancellationToken ct) => registry.GetAsync(c, kind, name, ct))
                .WithName($"Get_{kind}").WithSummary($"One object of the kind {kind}, with its fields and tags")
                .Produces<System.Text.Json.Nodes.JsonObject>().Problems(401, 403, 404);
        }

        // Probes for orchestrators, beside Feast's /health: live answers while the process serves requests,
        // ready runs Granary's checks (503 when one is unhealthy, 200 and "Degraded" when views are stale).
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthReportJson.WriteAsync });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(GranaryHealthCheckOptions.ReadyTag),
            ResponseWriter = HealthReportJson.WriteAsync,
        });
        endpoints.MapGrpcService<ServingGrpcService>();
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        endpoints.MapOpenApi("/openapi/{documentName}.json");
        return rest;
    }

    /// <summary>
    /// Documents the JSON request body without restricting the content type (which <c>Accepts</c>
    /// would): Feast's docs post bodies with curl's default form content type.
    /// </summary>
    private static RouteHandlerBuilder Body<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken).ConfigureAwait(false);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });

    private static RouteHandlerBuilder Problems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
