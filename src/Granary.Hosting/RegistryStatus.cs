namespace Granary.Hosting;

/// <summary>What the last registry refresh found, for health checks: the version served and the last error, if the last refresh failed.</summary>
internal sealed class RegistryStatus
{
    private volatile State _state = new(0, "the registry has not been read yet");

    /// <summary>The version served (0 before the first load) and why the last refresh failed (null when it succeeded).</summary>
    public (long Version, string? Error) Current => (_state.Version, _state.Error);

    public void Succeeded(long version) => _state = new State(version, null);

    public void Failed(string error) => _state = new State(_state.Version, error);

    private sealed record State(long Version, string? Error);
}
