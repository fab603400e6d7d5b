namespace Granary.Server;

/// <summary>What an API key may do; a key holds any combination, and no scope implies another.</summary>
[Flags]
public enum FeatureServerScopes
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Online reads (REST and gRPC) and the registry API (<c>read</c>).</summary>
    Read = 1,

    /// <summary>Pushes and online writes (<c>write</c>).</summary>
    Write = 2,

    /// <summary>Materialization (<c>admin</c>).</summary>
    Admin = 4,
}
