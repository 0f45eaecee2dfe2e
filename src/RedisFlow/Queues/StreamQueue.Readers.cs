using System.Collections.Concurrent;
using System.Net;
using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>The pool of blocking-read connections (see <see cref="BlockingStreamReader"/>), and ending a read early.</summary>
internal sealed partial class StreamQueue : IAsyncDisposable
{
    /// <summary>Idle blocking-read connections kept for reuse; more are closed when returned.</summary>
    private const int MaxIdleBlockingReaders = 8;

    private readonly ConcurrentBag<BlockingStreamReader> _idleBlockingReaders = [];
    private readonly ConcurrentDictionary<BlockingStreamReader, byte> _blockingReaders = new();

    /// <summary>Blocking reads answered over a lean connection by the readers open now (for tests and diagnostics).</summary>
    internal long LeanBlockingReads => _blockingReaders.Keys.Sum(static r => r.LeanReads);

    /// <summary>Blocking reads sent through the multiplexer by the readers open now (for tests and diagnostics).</summary>
    internal long MultiplexerBlockingReads => _blockingReaders.Keys.Sum(static r => r.MultiplexerReads);

    /// <summary>
    /// Takes a blocking-read connection from the pool, connecting a new one when none is idle. Each carries one
    /// blocking read at a time; give it back with <see cref="ReturnReaderAsync"/>.
    /// </summary>
    public async Task<BlockingStreamReader> RentReaderAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_db.IsDisposed, _db);
        if (_idleBlockingReaders.TryTake(out var idle))
        {
            return idle;
        }

        var reader = await _db.ConnectBlockingReaderAsync(ct).ConfigureAwait(false);
        _blockingReaders[reader] = 0;
        return reader;
    }

    /// <summary>Gives a connection back to the pool (or closes it when enough are idle, or the <see cref="RedisDb"/> is closed).</summary>
    public async ValueTask ReturnReaderAsync(BlockingStreamReader reader)
    {
        reader.InlineCompletions = false;
        if (!_db.IsDisposed && _idleBlockingReaders.Count < MaxIdleBlockingReaders)
        {
            _idleBlockingReaders.Add(reader);
            return;
        }

        _blockingReaders.TryRemove(reader, out _);
        await reader.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Closes every blocking-read connection (called when the <see cref="RedisDb"/> is disposed).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var reader in _blockingReaders.Keys)
        {
            _blockingReaders.TryRemove(reader, out _);
            await reader.DisposeAsync().ConfigureAwait(false);
        }

        _idleBlockingReaders.Clear();
    }

    /// <summary>
    /// Ends a blocking read of another connection at once (its XREADGROUP returns as if timed out). On Cluster a
    /// client id is only valid on its own node, so the command goes to <paramref name="node"/>.
    /// </summary>
    private async Task UnblockClientAsync(EndPoint? node, long clientId)
    {
        try
        {
            if (node is null)
            {
                var db = await _db.GetDatabaseAsync().ConfigureAwait(false);
                await db.ExecuteAsync("CLIENT", "UNBLOCK", clientId).ConfigureAwait(false);
                return;
            }

            var connection = await _db.GetConnectionAsync().ConfigureAwait(false);
            await connection.GetServer(node).ExecuteAsync("CLIENT", "UNBLOCK", clientId).ConfigureAwait(false);
        }
        catch (RedisServerException ex)
        {
            // A user without +client|unblock: the read still ends at its timeout, but the operator must learn why.
            _db.ReportFailure(null, ex);
            throw;
        }
    }
}
