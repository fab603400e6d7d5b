using Granary.Definitions;

namespace Granary.Cli.Commands;

/// <summary>The KIND words of <c>list</c> and <c>describe</c>, singular or plural, with hyphens or underscores.</summary>
internal static class DefinitionKinds
{
    private static readonly Dictionary<string, Func<DefinitionSet, IEnumerable<Definition>>> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["entities"] = s => s.Entities,
        ["data-sources"] = s => s.Sources,
        ["request-sources"] = s => s.RequestSources,
        ["feature-views"] = s => s.FeatureViews,
        ["on-demand-feature-views"] = s => s.OnDemandFeatureViews,
        ["feature-services"] = s => s.FeatureServices,
    };

    public static string Known => string.Join(", ", Kinds.Keys);

    /// <summary>The KIND argument of <c>list</c> and <c>describe</c>, completing the kinds' names.</summary>
    public static System.CommandLine.Argument<string> Argument()
    {
        var kind = new System.CommandLine.Argument<string>("kind") { Description = $"One of: {Known}" };
        kind.CompletionSources.Add(_ => Kinds.Keys.Select(k => new System.CommandLine.Completions.CompletionItem(k)));
        return kind;
    }

    public static IEnumerable<Definition> Select(DefinitionSet set, string kind)
    {
        var key = kind.Replace('_', '-').ToLowerInvariant() switch
        {
            "entity" => "entities",
            "sources" or "source" or "data-source" => "data-sources",
            var k when !k.EndsWith('s') => k + "s",
            var k => k,
        };
        return Kinds.TryGetValue(key, out var select)
            ? select(set)
            : throw new GranaryException($"unknown kind '{kind}'; expected one of: {Known}");
    }
}
