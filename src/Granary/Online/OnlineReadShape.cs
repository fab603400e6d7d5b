namespace Granary.Online;

/// <summary>
/// What an online read's plan depends on: the features or feature service asked for and whether names are full.
/// Compared and hashed over the request's own list, so that finding the plan of a read allocates nothing.
/// </summary>
internal readonly struct OnlineReadShape : IEquatable<OnlineReadShape>
{
    private readonly IReadOnlyList<string> _features;
    private readonly string? _service;
    private readonly bool _fullNames;
    private readonly int _hash;

    public OnlineReadShape(OnlineFeaturesRequest request)
        : this(request.Features ?? [], request.FeatureService, request.FullFeatureNames)
    {
    }

    private OnlineReadShape(IReadOnlyList<string> features, string? service, bool fullNames)
    {
        _features = features;
        _service = service;
        _fullNames = fullNames;
        var hash = new HashCode();
        for (var i = 0; i < features.Count; i++)
        {
            hash.Add(features[i], StringComparer.Ordinal);
        }

        hash.Add(service, StringComparer.Ordinal);
        hash.Add(fullNames);
        _hash = hash.ToHashCode();
    }

    /// <summary>The same shape over a copy of the feature list, to keep as a key.</summary>
    public OnlineReadShape Copy() => new([.. _features], _service, _fullNames);

    public bool Equals(OnlineReadShape other)
    {
        if (_hash != other._hash || _fullNames != other._fullNames || !string.Equals(_service, other._service, StringComparison.Ordinal)
            || _features.Count != other._features.Count)
        {
            return false;
        }

        for (var i = 0; i < _features.Count; i++)
        {
            if (!string.Equals(_features[i], other._features[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is OnlineReadShape other && Equals(other);

    public override int GetHashCode() => _hash;
}
