using System.Collections.Concurrent;
using System.Net;
using RedisFlow.Queues;
using StackExchange.Redis;

namespace RedisFlow;

public sealed partial class RedisDb
{
    /// <summary>Idle blocking-read connections kept for reuse; more are closed when returned.</summary>
    private const int MaxIdleBlockingReaders = 8;

    private readonly ConcurrentBag<BlockingStreamReader> _idleBlockingReaders = [];
    private readonly ConcurrentDictionary<BlockingStreamReader, byte> _blockingReaders = new();

    /// <summary>
    /// Takes a blocking-read connection from the pool, connecting a new one when none is idle. Each carries one
    /// blocking read at a time; give it back with <see cref="ReturnBlockingReaderAsync"/>.
    /// </summary>
    internal async Task<BlockingStreamReader> RentBlockingReaderAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_idleBlockingReaders.TryTake(out var idle))
        {
            return idle;
        }

        // Connect the main connection first: it decides whether this is a cluster.
        await GetConnectionAsync(ct).ConfigureAwait(false);
        var reader = await BlockingStreamReader.ConnectAsync(_config, _options, _isCluster).WaitAsync(ct).ConfigureAwait(false);
        _blockingReaders[reader] = 0;
        return reader;
    }

    /// <summary>Gives a connection back to the pool (or closes it when enough are idle, or this instance is closed).</summary>
    internal async ValueTask ReturnBlockingReaderAsync(BlockingStreamReader reader)
    {
        if (_disposed == 0 && _idleBlockingReaders.Count < MaxIdleBlockingReaders)
        {
            _idleBlockingReaders.Add(reader);
            return;
        }

        _blockingReaders.TryRemove(reader, out _);
        await reader.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a blocking read of another connection at once (its XREADGROUP returns as if timed out). On Cluster a
    /// client id is only valid on its own node, so the command goes to <paramref name="node"/>.
    /// </summary>
    internal async Task UnblockClientAsync(EndPoint? node, long clientId)
    {
        try
        {
            if (node is null)
            {
                var db = await GetDatabaseAsync().ConfigureAwait(false);
                await db.ExecuteAsync("CLIENT", "UNBLOCK", clientId).ConfigureAwait(false);
                return;
            }

            var connection = await GetConnectionAsync().ConfigureAwait(false);
            await connection.GetServer(node).ExecuteAsync("CLIENT", "UNBLOCK", clientId).ConfigureAwait(false);
        }
        catch (RedisServerException ex)
        {
            // A user without +client|unblock: the read still ends at its timeout, but the operator must learn why.
            ReportFailure(null, ex);
            throw;
        }
    }

    /// <summary>Closes every blocking-read connection (called by <see cref="DisposeAsync"/>).</summary>
    private async ValueTask DisposeBlockingReadersAsync()
    {
        foreach (var reader in _blockingReaders.Keys)
        {
            _blockingReaders.TryRemove(reader, out _);
            await reader.DisposeAsync().ConfigureAwait(false);
        }

        _idleBlockingReaders.Clear();
    }
}
