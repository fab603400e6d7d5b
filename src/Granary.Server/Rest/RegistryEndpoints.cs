using System.Text.Json;
using System.Text.Json.Nodes;
using Granary.Definitions;
using Granary.Online;
using Granary.Registry;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Rest;

/// <summary>
/// The read-only registry API under <c>/api/v1/</c>, for tools and a future UI: projects, and each
/// project's entities, data sources, feature views and feature services with their fields and tags,
/// in the registry's JSON form (snake_case) plus a <c>kind</c>. Objects of the served project come
/// from the snapshot being served; <c>?project=NAME</c> reads another project from the registry.
/// </summary>
internal sealed class RegistryEndpoints(FeatureStore store)
{
    private readonly JsonSerializerOptions _json = new(RegistryJson.OptionsFor(store.SourceKinds)) { WriteIndented = false };

    public async Task ProjectsAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var projects = new JsonArray();
        foreach (var name in await store.Registry.ListProjectsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await store.Registry.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } snapshot)
            {
                projects.Add(Project(snapshot));
            }
        }

        await WriteAsync(context, new JsonObject { ["projects"] = projects }).ConfigureAwait(false);
    }

    public async Task ProjectAsync(HttpContext context, string name, CancellationToken cancellationToken)
    {
        var snapshot = await store.Registry.GetAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound($"no project '{name}' in the registry");
        await WriteAsync(context, Project(snapshot)).ConfigureAwait(false);
    }

    /// <summary>Lists the objects of one kind (<c>entities</c>, <c>data_sources</c>, <c>feature_views</c>, <c>feature_services</c>).</summary>
    public async Task ListAsync(HttpContext context, string kind, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(context, cancellationToken).ConfigureAwait(false);
        var items = new JsonArray();
        foreach (var definition in Select(snapshot.Definitions, kind))
        {
            items.Add(Describe(snapshot, definition));
        }

        await WriteAsync(context, new JsonObject { [kind] = items }).ConfigureAwait(false);
    }

    public async Task GetAsync(HttpContext context, string kind, string name, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(context, cancellationToken).ConfigureAwait(false);
        var definition = Select(snapshot.Definitions, kind).FirstOrDefault(d => d.Name == name)
            ?? throw NotFound($"no {Singular(kind)} named '{name}' in project '{snapshot.Project}'");
        await WriteAsync(context, Describe(snapshot, definition)).ConfigureAwait(false);
    }

    private async Task<RegistrySnapshot> SnapshotAsync(HttpContext context, CancellationToken cancellationToken)
    {
        // The registry as it is now, not the snapshot being served: materializations do not change
        // the served snapshot, and this API shows them.
        var project = context.Request.Query["project"].ToString();
        if (project.Length == 0)
        {
            project = store.Project;
        }

        return await store.Registry.GetAsync(project, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound($"no project '{project}' in the registry");
    }

    private static IEnumerable<Definition> Select(DefinitionSet set, string kind) => kind switch
    {
        "entities" => set.Entities,
        "data_sources" => set.Sources.Cast<Definition>().Concat(set.RequestSources),
        "feature_views" => set.FeatureViews.Cast<Definition>().Concat(set.OnDemandFeatureViews),
        "feature_services" => set.FeatureServices,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string Singular(string kind) => kind switch
    {
        "entities" => "entity",
        _ => kind.TrimEnd('s').Replace('_', ' '),
    };

    private JsonObject Describe(RegistrySnapshot snapshot, Definition definition)
    {
        // Sources are written through their base type so that their "type" (file, postgres, push) is kept.
        var node = (definition is DataSource
            ? JsonSerializer.SerializeToNode(definition, typeof(DataSource), _json)
            : JsonSerializer.SerializeToNode(definition, definition.GetType(), _json))!.AsObject();
        node.Remove("kind");
        node.Insert(0, "kind", definition.Kind);
        if (definition is FeatureView view && snapshot.LastMaterializedEnd(view.Name) is { } end)
        {
            node["materialized_until"] = OnlineResponseJson.FormatTime(end);
        }

        return node;
    }

    private static JsonObject Project(RegistrySnapshot snapshot) => new()
    {
        ["name"] = snapshot.Project,
        ["version"] = snapshot.Version,
        ["updated_at"] = OnlineResponseJson.FormatTime(snapshot.UpdatedAt),
    };

    private static ServerErrorException NotFound(string detail) => new(ServerError.NotFound(detail));

    private Task WriteAsync(HttpContext context, JsonObject body) => Results.Json(body, _json).ExecuteAsync(context);
}
