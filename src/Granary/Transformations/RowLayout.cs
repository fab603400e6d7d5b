using Granary.Definitions;

namespace Granary.Transformations;

/// <summary>Where each input of a compiled view sits in a <see cref="ColumnFrame"/>, by name.</summary>
internal sealed class RowLayout
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private readonly List<ScalarType> _types = [];

    public IReadOnlyList<string> Names => _names;

    public IReadOnlyList<ScalarType> Types => _types;

    /// <summary>The slot of <paramref name="name"/>, added on first use.</summary>
    public int Use(string name, ScalarType type)
    {
        if (!_slots.TryGetValue(name, out var slot))
        {
            slot = _names.Count;
            _slots.Add(name, slot);
            _names.Add(name);
            _types.Add(type);
        }

        return slot;
    }

    public bool TryGetSlot(string name, out int slot) => _slots.TryGetValue(name, out slot);
}
