namespace Granary.Server;

/// <summary>Ends a request with a known <see cref="ServerError"/>.</summary>
internal sealed class ServerErrorException(ServerError error, Exception? innerException = null) : Exception(error.Detail, innerException)
{
    public ServerError Error { get; } = error;
}
