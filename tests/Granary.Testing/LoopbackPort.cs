using System.Net;
using System.Net.Sockets;

namespace Granary.Testing;

/// <summary>Ports on 127.0.0.1 for servers the tests start.</summary>
public static class LoopbackPort
{
    /// <summary>A port nobody listens on now; the OS picks it. Another process may take it before it is bound.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
