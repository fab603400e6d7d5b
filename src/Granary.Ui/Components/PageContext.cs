using Granary.Definitions;
using Granary.Ui.Catalog;

namespace Granary.Ui.Components;

/// <summary>What every page needs besides its own content: the registry, the time, where the UI is mounted, who may use it.</summary>
public sealed class PageContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="basePath">The UI's path, such as <c>/ui</c> (with the host's path base), without a trailing slash.</param>
    /// <param name="registry">The project's registry state.</param>
    /// <param name="now">The time the page is rendered at, from the host's clock.</param>
    /// <param name="serverUrl">Where <c>granary serve</c> answers, for curl commands.</param>
    /// <param name="authEnabled">Whether API keys are required (the page offers to sign out).</param>
    /// <param name="assetVersion">A version for asset URLs, so that browsers fetch changed assets.</param>
    public PageContext(string basePath, RegistryView registry, DateTimeOffset now, string serverUrl, bool authEnabled, string assetVersion)
    {
        Base = basePath;
        Registry = registry;
        Now = now;
        ServerUrl = serverUrl;
        AuthEnabled = authEnabled;
        AssetVersion = assetVersion;
    }

    /// <summary>The UI's path without a trailing slash, such as <c>/ui</c>.</summary>
    public string Base { get; }

    /// <summary>The project's registry state.</summary>
    public RegistryView Registry { get; }

    /// <summary>The time the page is rendered at.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Where <c>granary serve</c> answers.</summary>
    public string ServerUrl { get; }

    /// <summary>Whether API keys are required.</summary>
    public bool AuthEnabled { get; }

    /// <summary>The asset version.</summary>
    public string AssetVersion { get; }

    /// <summary>The overview.</summary>
    public string Home => Base + "/";

    /// <summary>The list page of <paramref name="kind"/>.</summary>
    public string Url(UiKind kind) => $"{Base}/{kind.Slug}";

    /// <summary>The page of <paramref name="definition"/>.</summary>
    public string Url(Definition definition) => Url(UiKind.Of(definition), definition.Name);

    /// <summary>The page of the object of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public string Url(UiKind kind, string name) => $"{Base}/{kind.Slug}/{Uri.EscapeDataString(name)}";

    /// <summary>A page that is not an object's, such as <c>lineage</c>.</summary>
    public string Page(string path) => $"{Base}/{path}";

    /// <summary>An asset of the UI, such as <c>ui.css</c>.</summary>
    public string Asset(string name) => $"{Base}/assets/{name}?v={AssetVersion}";

    /// <summary>The page of the view, on-demand view, aggregation view or request source named <paramref name="name"/>, or null.</summary>
    public string? InputUrl(string name) => Registry.FindInput(name) is { } d ? Url(d) : null;

    /// <summary>The page of the data source named <paramref name="name"/> (batch or push), or null.</summary>
    public string? SourceUrl(string name) => Registry.Definitions.FindSource(name) is { } s ? Url(s) : null;

    /// <summary>The page of the entity named <paramref name="name"/>, or null.</summary>
    public string? EntityUrl(string name) => Registry.Definitions.FindEntity(name) is { } e ? Url(e) : null;
}
