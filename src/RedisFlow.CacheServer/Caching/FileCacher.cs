using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer.Diagnostics;
using RedisFlow.CacheServer.Storage;
using RedisFlow.CacheServer.Tasks;
using StackExchange.Redis;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// Caches one file: claims it, then publishes it under <c>bucket/location</c> so that readers never see a partial
/// file: a file that fits in one chunk by one <c>SET NX</c>; a larger one of announced size by one <c>SET NX</c>
/// streamed over a connection of its own; otherwise (size unknown, no connection of its own) into a temporary key
/// chunk by chunk (plain <c>APPEND</c>s, pipelined), published with the TTL by one script. Chunk buffers come from the
/// daemon's <see cref="ChunkWindow"/>, so memory does not grow with file size.
/// </summary>
internal sealed class FileCacher(RedisDb db, IFileStorage storage, CacheOptions options, ChunkWindow window, FileFailureLog failures, ILogger logger)
{
    /// <summary>
    /// Chunks of one file sent before waiting for the oldest reply: enough to keep Redis busy while the next chunk
    /// is read from storage; <see cref="CacheOptions.ChunksInFlight"/> bounds them across all files.
    /// </summary>
    private const int ChunksInFlightPerFile = 4;

    private readonly long _ttlMs = (long)options.Ttl.TotalMilliseconds;
    private readonly long _claimMs = (long)options.ClaimTtl.TotalMilliseconds;

    public async Task<FileOutcome> CacheAsync(OngoingDocument document, MemoryBudget budget, CancellationToken ct)
    {
        if (!db.IsAlive)
        {
            return FileOutcome.RedisDown;
        }

        var key = document.CacheKey;
        var claimKey = CacheKeys.ClaimKey(key);
        var token = Guid.NewGuid().ToString("N");
        var claim = await db.EvaluateAsync("CacheClaim", CacheLuaScripts.Claim, [key, claimKey], [token, _claimMs],
            static reply => (long?)(long)reply, null, idempotent: false, ct).ConfigureAwait(false);
        switch (claim)
        {
            case null:
                return db.IsAlive ? FileOutcome.Failed : FileOutcome.RedisDown;
            case 0:
                return FileOutcome.AlreadyCached;
            case 2:
                return FileOutcome.ClaimedElsewhere;
        }

        var tempKey = CacheKeys.TempKey(key, token);
        var outcome = FileOutcome.Failed;
        try
        {
            if (budget.IsOver)
            {
                outcome = FileOutcome.MemoryGuard;
                return outcome;
            }

            outcome = await FetchAndPublishAsync(document, tempKey, claimKey, token, budget, ct).ConfigureAwait(false);
            return outcome;
        }
        catch (StorageObjectNotFoundException ex)
        {
            // Once per file, then at Debug with back-off: a row whose file is missing would otherwise warn every cycle.
            failures.Failed(document.CacheKey, ex);
            outcome = FileOutcome.NotFound;
            return outcome;
        }
        finally
        {
            if (outcome != FileOutcome.Cached && outcome != FileOutcome.AlreadyCached)
            {
                // On shutdown the token is cancelled, but the claim and partial key should still go.
                await AbortAsync(tempKey, claimKey, token, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A storage that announced a length and then ended early (or ran on) gave a truncated or wrong copy: it is not
    /// published as the file. The exception aborts the temporary key and logs the cause; the next cycle tries again.
    /// </summary>
    private void RequireAnnounced(OngoingDocument document, long? announced, long read)
    {
        if (announced is { } length && length != read)
        {
            throw new StorageUnavailableException(storage.Name, document.Bucket, document.Location,
                $"the read ended after {read} of the {length} bytes announced (truncated); not cached.");
        }
    }

    private async Task<FileOutcome> FetchAndPublishAsync(OngoingDocument document, string tempKey, string claimKey, string token, MemoryBudget budget, CancellationToken ct)
    {
        var key = document.CacheKey;
        var started = Stopwatch.GetTimestamp();
        var file = await storage.OpenReadAsync(document.Bucket, document.Location, ct).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            if (file.Length is { } announced)
            {
                if (announced > options.MaxFileSize)
                {
                    CacheLog.TooLarge(logger, key, announced, options.MaxFileSize);
                    return FileOutcome.TooLarge;
                }

                if (!budget.TryReserve(announced))
                {
                    return FileOutcome.MemoryGuard;
                }

                if (announced > options.ChunkSize && await StreamAsync(document, claimKey, token, file.Content, announced, started, ct).ConfigureAwait(false) is { } streamed)
                {
                    return streamed;
                }
            }

            // Chunks sent and not yet answered, oldest first (each frees its buffer by itself once answered).
            var pending = new Queue<Task<long?>>(ChunksInFlightPerFile);
            try
            {
                long total = 0;
                while (true)
                {
                    var buffer = await window.RentAsync(ct).ConfigureAwait(false);
                    int filled;
                    try
                    {
                        filled = await FillAsync(file.Content, buffer.AsMemory(0, options.ChunkSize), ct).ConfigureAwait(false);
                    }
                    catch
                    {
                        window.Return(buffer);
                        throw;
                    }

                    if (filled == 0)
                    {
                        window.Return(buffer);
                        break;
                    }

                    total += filled;
                    if (total > options.MaxFileSize)
                    {
                        window.Return(buffer);
                        CacheLog.TooLarge(logger, key, total, options.MaxFileSize);
                        return FileOutcome.TooLarge;
                    }

                    if (file.Length is null && !budget.TryReserve(filled))
                    {
                        window.Return(buffer);
                        return FileOutcome.MemoryGuard;
                    }

                    if (filled < options.ChunkSize && total == filled)
                    {
                        RequireAnnounced(document, file.Length, total);
                        // The whole file is in this one chunk: a plain SET NX publishes it, no temporary key.
                        var put = await ReleasingBufferAsync(PutAsync(key, tempKey, claimKey, token, buffer.AsMemory(0, filled), ct), buffer).ConfigureAwait(false);
                        return PutOutcome(document, key, put, filled, started);
                    }

                    pending.Enqueue(ReleasingBufferAsync(AppendAsync(key, tempKey, claimKey, token, buffer.AsMemory(0, filled), total, ct), buffer));
                    if (pending.Count >= ChunksInFlightPerFile)
                    {
                        var stop = ChunkOutcome(key, await pending.Dequeue().ConfigureAwait(false));
                        if (stop is not null)
                        {
                            return stop.Value;
                        }
                    }

                    if (filled < options.ChunkSize)
                    {
                        break;
                    }
                }

                RequireAnnounced(document, file.Length, total);

                // Sent behind the last chunks without waiting for them: the publish checks the exact length, so a
                // chunk that did not land makes it fail rather than publish a partial file.
                var commit = CommitAsync(key, tempKey, claimKey, token, total, ct);
                long? firstRefused = 0;
                while (pending.Count > 0)
                {
                    var renewed = await pending.Dequeue().ConfigureAwait(false);
                    if (firstRefused >= 0 && renewed is not >= 0)
                    {
                        firstRefused = renewed;
                    }
                }

                var published = await commit.ConfigureAwait(false);
                switch (published)
                {
                    case 1:
                        CacheMetrics.RecordCached(total, Stopwatch.GetElapsedTime(started), storage.Name);
                        CacheLog.Cached(logger, document.Location);
                        return FileOutcome.Cached;
                    case 0:
                        return FileOutcome.AlreadyCached;
                    default:
                        if (ChunkOutcome(key, firstRefused) is { } refused)
                        {
                            return refused; // Why the copy is incomplete, logged by ChunkOutcome.
                        }

                        CacheLog.WriteFailed(logger, key, published is null ? "publish" : "publish (temporary copy incomplete)");
                        return db.IsAlive ? FileOutcome.Failed : FileOutcome.RedisDown;
                }
            }
            finally
            {
                // Early exit (claim lost, failure, cancellation): the chunks already sent are answered before the
                // abort that follows, so none lands after it. Each is bounded by the operation timeout.
                while (pending.Count > 0)
                {
                    await pending.Dequeue().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Sends a file larger than one chunk as one <c>SET NX</c> streamed chunk by chunk over a connection of its own
    /// (<see cref="RedisDb.SetStreamedAsync"/>): Redis reads it straight into the value, where <c>APPEND</c>s to a
    /// temporary key cost it about twice the CPU per byte (measured: 4.0-4.4 against 9.0-9.2 s/GB of server CPU for
    /// 8 MiB values). Null when that connection cannot be used: the chunked path runs instead, content unread.
    /// </summary>
    /// <remarks>
    /// The claim is not renewed while the copy lasts: should it expire (a copy longer than <see cref="CacheOptions.ClaimTtl"/>),
    /// another daemon may copy the same file too, and NX keeps whichever lands first; both hold the same bytes.
    /// </remarks>
    private async Task<FileOutcome?> StreamAsync(OngoingDocument document, string claimKey, string token, Stream content, long length, long started, CancellationToken ct)
    {
        var key = document.CacheKey;
        var buffer = await window.RentAsync(ct).ConfigureAwait(false);
        StreamedSetResult result;
        try
        {
            result = await db.SetStreamedAsync(key, content, length, options.Ttl, onlyIfAbsent: true, buffer.AsMemory(0, options.ChunkSize), ct).ConfigureAwait(false);
        }
        finally
        {
            // The call has returned: its writes are complete or its connection closed, so nothing refers to the buffer.
            window.Return(buffer);
        }

        switch (result)
        {
            case StreamedSetResult.Stored:
                await AbortAsync(CacheKeys.TempKey(key, token), claimKey, token, CancellationToken.None).ConfigureAwait(false);
                CacheMetrics.RecordCached(length, Stopwatch.GetElapsedTime(started), storage.Name);
                CacheLog.Cached(logger, document.Location);
                return FileOutcome.Cached;
            case StreamedSetResult.NotStored:
                await AbortAsync(CacheKeys.TempKey(key, token), claimKey, token, CancellationToken.None).ConfigureAwait(false);
                return FileOutcome.AlreadyCached;
            case StreamedSetResult.Failed:
                return db.IsAlive ? FileOutcome.Failed : FileOutcome.RedisDown;
            default:
                return null;
        }
    }

    /// <summary>
    /// Gives <paramref name="buffer"/> back as soon as <paramref name="reply"/> completes, whatever the file's loop is
    /// doing (a file waiting for a free chunk slot must never wait on its own chunks): to the pool once Redis has
    /// answered, or abandoned when the write failed or was cancelled (it may still be queued in the connection).
    /// Never throws: null means failed.
    /// </summary>
    private async Task<long?> ReleasingBufferAsync(Task<long?> reply, byte[] buffer)
    {
        await ((Task)reply).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (reply.IsCompletedSuccessfully && await reply.ConfigureAwait(false) is { } answer)
        {
            window.Return(buffer);
            return answer;
        }

        window.Abandon();
        return null;
    }

    /// <summary>What an append's reply means: null to go on, or why the file stops.</summary>
    private FileOutcome? ChunkOutcome(string key, long? renewed)
    {
        switch (renewed)
        {
            case >= 0:
                return null;
            case -1:
                CacheLog.ClaimLost(logger, key);
                return FileOutcome.ClaimedElsewhere;
            default:
                CacheLog.WriteFailed(logger, key, renewed is null ? "append" : "append (temporary copy expired)");
                return db.IsAlive ? FileOutcome.Failed : FileOutcome.RedisDown;
        }
    }

    private FileOutcome PutOutcome(OngoingDocument document, string key, long? put, int length, long started)
    {
        switch (put)
        {
            case 1:
                CacheMetrics.RecordCached(length, Stopwatch.GetElapsedTime(started), storage.Name);
                CacheLog.Cached(logger, document.Location);
                return FileOutcome.Cached;
            case 0:
                return FileOutcome.AlreadyCached;
            default:
                CacheLog.WriteFailed(logger, key, "publish");
                return db.IsAlive ? FileOutcome.Failed : FileOutcome.RedisDown;
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends, so every chunk but the last is full.</summary>
    private static async Task<int> FillAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[filled..], ct).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    /// <summary>
    /// Publishes a file that fits in one chunk: <c>SET key bytes PX ttl NX</c> (a plain command, so Redis reads the
    /// bytes straight into the value, where a script would copy them into Lua first), with the claim's release
    /// pipelined behind it. NX keeps an existing value; a replica that took the claim meanwhile can only publish
    /// the same file with NX too, so the two never publish different bytes. Replies 1 (published) or 0 (already cached).
    /// </summary>
    private Task<long?> PutAsync(string key, string tempKey, string claimKey, string token, ReadOnlyMemory<byte> content, CancellationToken ct) =>
        db.ExecuteAsync<(string Key, string Temp, string Claim, ReadOnlyMemory<byte> Content, string Token, TimeSpan Ttl), long?>("CachePut", key,
            (key, tempKey, claimKey, content, token, options.Ttl),
            static async (database, s) =>
            {
                var set = database.StringSetAsync(s.Key, s.Content, s.Ttl, When.NotExists);
                var release = CacheLuaScripts.Abort.EvaluateAsync(database, [s.Temp, s.Claim], [s.Token]);
                await Task.WhenAll(set, release).ConfigureAwait(false);
                return await set.ConfigureAwait(false) ? 1 : 0;
            },
            null, idempotent: false, ct);

    /// <summary>
    /// Sends one chunk as a plain <c>APPEND</c> to the temporary key, with <c>cache_renew.lua</c> pipelined behind it
    /// (renews both keys, checks the claim and that <paramref name="sent"/> bytes are in). Replies the renew's result.
    /// </summary>
    private Task<long?> AppendAsync(string key, string tempKey, string claimKey, string token, ReadOnlyMemory<byte> chunk, long sent, CancellationToken ct) =>
        db.ExecuteAsync<(string Temp, string Claim, ReadOnlyMemory<byte> Chunk, string Token, long Ms, long Sent), long?>("CacheAppend", key,
            (tempKey, claimKey, chunk, token, _claimMs, sent),
            static async (database, s) =>
            {
                var append = database.StringAppendAsync(s.Temp, s.Chunk);
                var renew = CacheLuaScripts.Renew.EvaluateAsync(database, [s.Temp, s.Claim], [s.Token, s.Ms, s.Sent]);
                await Task.WhenAll(append, renew).ConfigureAwait(false);
                return (long)await renew.ConfigureAwait(false);
            },
            null, idempotent: false, ct);

    private Task<long?> CommitAsync(string key, string tempKey, string claimKey, string token, long length, CancellationToken ct) =>
        db.ExecuteAsync<(string Temp, string Key, string Claim, long Ttl, string Token, long Length), long?>("CacheCommit", key, (tempKey, key, claimKey, _ttlMs, token, length),
            static async (database, s) => (long)await CacheLuaScripts.Commit.EvaluateAsync(database, [s.Temp, s.Key, s.Claim], [s.Ttl, s.Token, s.Length]).ConfigureAwait(false),
            null, idempotent: false, ct);

    private async Task AbortAsync(string tempKey, string claimKey, string token, CancellationToken ct)
    {
        if (!db.IsAlive)
        {
            return; // The claim and the temporary key expire by themselves.
        }

        _ = await db.EvaluateAsync("CacheAbort", CacheLuaScripts.Abort, [tempKey, claimKey], [token],
            static reply => (long)reply == 1, false, idempotent: true, ct).ConfigureAwait(false);
    }
}
