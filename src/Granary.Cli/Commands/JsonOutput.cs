using System.Text.Json;
using System.Text.Json.Nodes;
using Granary.Definitions;
using Granary.Materialization;
using Granary.Registry;

namespace Granary.Cli.Commands;

/// <summary>
/// The <c>--format json</c> forms of the commands scripts read, one JSON document on stdout each, with the
/// same snake_case names as the feature server's REST API (docs/cli.md shows each).
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary><c>plan</c>: what apply would create, update and delete.</summary>
    public static string Plan(string project, long baseVersion, RegistryDiff diff) => Write(new JsonObject
    {
        ["project"] = project,
        ["registry_version"] = baseVersion,
        ["changes"] = !diff.IsEmpty,
        ["created"] = References(diff.Created),
        ["updated"] = References(diff.Updated),
        ["deleted"] = References(diff.Deleted),
    });

    /// <summary><c>list</c>: each object in the registry's JSON form, as <c>describe</c> prints one.</summary>
    public static string List(IEnumerable<Definition> definitions, SourceKinds kinds) =>
        Write(new JsonArray(definitions.Select(d => JsonNode.Parse(RegistryJson.SerializeDefinition(d, kinds))).ToArray()));

    /// <summary><c>materialize</c> and <c>materialize-incremental</c>: as the server's <c>POST /materialize</c> answers, with the time taken.</summary>
    public static string Materialized(IReadOnlyList<MaterializedView> done) => Write(new JsonObject
    {
        ["views"] = new JsonArray(done.Select(v =>
        {
            var view = new JsonObject
            {
                ["name"] = v.View,
                ["start"] = v.Start,
                ["end"] = v.End,
                ["rows"] = v.Rows,
                ["seconds"] = Math.Round(v.Elapsed.TotalSeconds, 3),
            };
            if (v.Events is { } events)
            {
                view["events"] = events; // an aggregation view: rows are the entities whose state was written
            }

            return (JsonNode)view;
        }).ToArray()),
    });

    private static JsonArray References(IEnumerable<Definition> definitions) =>
        new(definitions.Select(d => (JsonNode)new JsonObject { ["kind"] = d.Kind, ["name"] = d.Name }).ToArray());

    private static string Write(JsonNode node) => node.ToJsonString(Indented);
}
