namespace Granary.Server.Auth;

/// <summary>Endpoint metadata: the scope a caller's API key needs for the endpoint.</summary>
/// <param name="Scope">The scope.</param>
internal sealed record RequiredScope(FeatureServerScopes Scope);
