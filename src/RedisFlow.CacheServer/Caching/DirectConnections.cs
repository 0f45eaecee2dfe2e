using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// The daemon's own connections for streaming file bytes (<see cref="DirectConnection"/>), kept idle between files,
/// one set per server. The server of a key is the one the multiplexer would send it to (<c>IdentifyEndpoint</c>: the
/// slot's primary on a Cluster, the current primary behind Sentinel), and the credentials and database are the
/// multiplexer's. Over TLS, or when such a connection cannot be opened, <see cref="RentAsync"/> answers null and the
/// file goes through the multiplexer in chunks instead.
/// </summary>
internal sealed class DirectConnections(RedisDb db)
{
    private readonly ConcurrentDictionary<EndPoint, ConcurrentBag<DirectConnection>> _idle = new();
    private readonly ConfigurationOptions _config = RedisConnectionFactory.Build(db.Options);
    private volatile bool _refused;

    /// <summary>Whether files may be streamed at all (plain TCP, and no AUTH or SELECT refused so far).</summary>
    public bool Enabled => !_config.Ssl && !_refused;

    /// <summary>An idle or new connection to the server of <paramref name="key"/>; null to use the multiplexer.</summary>
    public async Task<DirectConnection?> RentAsync(string key, CancellationToken ct)
    {
        if (!Enabled)
        {
            return null;
        }

        var database = await db.GetDatabaseAsync(ct).ConfigureAwait(false);
        EndPoint? endPoint;
        try
        {
            endPoint = await database.IdentifyEndpointAsync(key).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisDb.IsTransient(ex) || ex is RedisException)
        {
            return null;
        }

        if (endPoint is null)
        {
            return null;
        }

        if (_idle.TryGetValue(endPoint, out var idle) && idle.TryTake(out var reused))
        {
            return reused;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(db.Options.ConnectTimeout);
        try
        {
            return await DirectConnection.OpenAsync(endPoint, _config.User, _config.Password, db.IsCluster ? 0 : _config.DefaultDatabase ?? 0, deadline.Token).ConfigureAwait(false);
        }
        catch (RedisServerException)
        {
            // AUTH or SELECT refused: the multiplexer connected with the same settings, so something this path does
            // not cover (a proxy, a rename-command) is in the way; stop trying.
            _refused = true;
            return null;
        }
        catch (Exception ex) when (ex is SocketException or IOException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>Keeps a connection whose last command was answered in full, for the next file.</summary>
    public void Return(DirectConnection connection) =>
        _idle.GetOrAdd(connection.EndPoint, static _ => []).Add(connection);
}
