using System.Collections;
using Granary.Repo;

namespace Granary.Definitions;

/// <summary>
/// The source kinds a host understands: the core's <c>file_source</c> and <c>push_source</c>, and
/// those its backends added (<c>AddPostgres()</c> adds <c>postgres_source</c>). The repo loader
/// parses YAML and the registries read and write JSON through it, so that the core names no backend.
/// </summary>
public sealed class SourceKinds : IEnumerable<SourceKind>
{
    private readonly List<SourceKind> _kinds = [];

    /// <summary>A catalog of the core's kinds; add a backend's with <see cref="Add"/>.</summary>
    public SourceKinds()
    {
        Add(new SourceKind(FileSource.KindName, "file", typeof(FileSource),
            (yaml, name) => new FileSource { Name = name, Path = yaml.String("path", required: true) ?? string.Empty }));
        Add(new SourceKind(PushSource.KindName, "push", typeof(PushSource),
            (yaml, name) => new PushSource { Name = name, BatchSource = yaml.String("batch_source", required: true) ?? string.Empty }));
    }

    /// <summary>Adds a kind; adding the same kind again changes nothing.</summary>
    /// <exception cref="ArgumentException">Another kind has the same name, discriminator or type.</exception>
    public SourceKinds Add(SourceKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        kind.Validate();
        if (_kinds.Contains(kind))
        {
            return this;
        }

        if (_kinds.FirstOrDefault(k => k.Name == kind.Name || k.Discriminator == kind.Discriminator || k.SourceType == kind.SourceType) is { } clash)
        {
            throw new ArgumentException($"source kind '{kind.Name}' clashes with '{clash.Name}' (same name, discriminator or type)");
        }

        _kinds.Add(kind);
        return this;
    }

    /// <summary>The kind with YAML name <paramref name="name"/>, or null.</summary>
    public SourceKind? Find(string name) => _kinds.FirstOrDefault(k => k.Name == name);

    /// <inheritdoc/>
    public IEnumerator<SourceKind> GetEnumerator() => _kinds.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
