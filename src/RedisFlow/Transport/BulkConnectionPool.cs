using System.Collections.Concurrent;
using System.Net;

namespace RedisFlow.Transport;

/// <summary>
/// Idle connections for streamed commands (a large value sent as one command, piece by piece), per server. Kept apart
/// from the one-at-a-time lean connection: a streamed value holds its connection for as long as the copy lasts.
/// </summary>
internal sealed class BulkConnectionPool : IDisposable
{
    /// <summary>Idle connections kept per server; more than that are closed when given back.</summary>
    private const int MaxIdlePerServer = 8;

    private readonly ConcurrentDictionary<EndPoint, ConcurrentQueue<LeanConnection>> _idle = new();
    private volatile bool _disposed;

    public LeanConnection? TryTake(EndPoint endpoint) =>
        _idle.TryGetValue(endpoint, out var queue) && queue.TryDequeue(out var connection) ? connection : null;

    /// <summary>Keeps a connection whose last command completed cleanly; anything else must be disposed instead.</summary>
    public void Return(LeanConnection connection)
    {
        var queue = _idle.GetOrAdd(connection.EndPoint, static _ => new ConcurrentQueue<LeanConnection>());
        if (_disposed || queue.Count >= MaxIdlePerServer)
        {
            connection.Dispose();
            return;
        }

        queue.Enqueue(connection);
        if (_disposed)
        {
            Clear(connection.EndPoint);
        }
    }

    /// <summary>Closes the idle connections to <paramref name="endpoint"/> (its role or state changed).</summary>
    public void Clear(EndPoint endpoint)
    {
        if (_idle.TryGetValue(endpoint, out var queue))
        {
            while (queue.TryDequeue(out var connection))
            {
                connection.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var endpoint in _idle.Keys)
        {
            Clear(endpoint);
        }
    }
}
