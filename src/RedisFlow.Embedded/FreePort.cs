using System.Net;
using System.Net.Sockets;

namespace RedisFlow.Embedded;

/// <summary>Finds TCP ports nobody listens on, on 127.0.0.1.</summary>
public static class FreePort
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A port the OS just gave out and that this process has not handed out before.</summary>
    public static int Next()
    {
        for (var i = 0; i < 100; i++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Handed)
            {
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("No free loopback port after 100 tries.");
    }
}
