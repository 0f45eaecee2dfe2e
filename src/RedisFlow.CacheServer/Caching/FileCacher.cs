using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer.Diagnostics;
using RedisFlow.CacheServer.Storage;
using RedisFlow.CacheServer.Tasks;
using StackExchange.Redis;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// Caches one file: claims it, streams it from storage into a temporary key chunk by chunk, then publishes it under
/// <c>bucket/location</c> with the TTL in one script, so readers never see a partial file and memory stays at one
/// chunk per file in flight.
/// </summary>
internal sealed class FileCacher(RedisDb db, IFileStorage storage, CacheOptions options, ILogger logger)
{
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
        var claim = await db.ExecuteAsync<(string Key, string Claim, string Token, long Ms), long?>("CacheClaim", key, (key, claimKey, token, _claimMs),
            static async (database, s) => (long)await CacheLuaScripts.Claim.EvaluateAsync(database, [s.Key, s.Claim], [s.Token, s.Ms]).ConfigureAwait(false),
            null, idempotent: false, ct).ConfigureAwait(false);
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
        catch (StorageObjectNotFoundException)
        {
            CacheLog.NotFound(logger, storage.Name, document.Bucket, document.Location);
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
            }

            var buffer = ArrayPool<byte>.Shared.Rent(options.ChunkSize);
            var bufferMayBeInFlight = false;
            try
            {
                long total = 0;
                while (true)
                {
                    var filled = await FillAsync(file.Content, buffer.AsMemory(0, options.ChunkSize), ct).ConfigureAwait(false);
                    if (filled == 0)
                    {
                        break;
                    }

                    total += filled;
                    if (total > options.MaxFileSize)
                    {
                        CacheLog.TooLarge(logger, key, total, options.MaxFileSize);
                        return FileOutcome.TooLarge;
                    }

                    if (file.Length is null && !budget.TryReserve(filled))
                    {
                        return FileOutcome.MemoryGuard;
                    }

                    if (filled < options.ChunkSize && total == filled)
                    {
                        // The whole file is in this one chunk: write and publish it in a single round trip.
                        var outcome = await PutAsync(document, key, claimKey, token, buffer.AsMemory(0, filled), started, ct).ConfigureAwait(false);
                        // As for an append: a write that failed may still be queued in the connection.
                        bufferMayBeInFlight = outcome is FileOutcome.Failed or FileOutcome.RedisDown;
                        return outcome;
                    }

                    var written = await AppendAsync(key, tempKey, claimKey, token, buffer.AsMemory(0, filled), ct).ConfigureAwait(false);
                    if (written is null)
                    {
                        // A timed-out write may still be queued in the connection: never hand this buffer to anyone else.
                        bufferMayBeInFlight = true;
                        CacheLog.WriteFailed(logger, key, "append");
                        return db.IsAlive ? FileOutcome.Failed : FileOutcome.RedisDown;
                    }

                    if (written < 0)
                    {
                        CacheLog.ClaimLost(logger, key);
                        return FileOutcome.ClaimedElsewhere;
                    }

                    if (filled < options.ChunkSize)
                    {
                        break;
                    }
                }

                var published = await CommitAsync(key, tempKey, claimKey, token, total, ct).ConfigureAwait(false);
                switch (published)
                {
                    case 1:
                        CacheMetrics.RecordCached(total, Stopwatch.GetElapsedTime(started), storage.Name);
                        CacheLog.Cached(logger, document.Location);
                        return FileOutcome.Cached;
                    case 0:
                        return FileOutcome.AlreadyCached;
                    default:
                        CacheLog.WriteFailed(logger, key, published is null ? "publish" : "publish (temporary copy incomplete)");
                        return db.IsAlive ? FileOutcome.Failed : FileOutcome.RedisDown;
                }
            }
            finally
            {
                if (!bufferMayBeInFlight)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    private async Task<FileOutcome> PutAsync(OngoingDocument document, string key, string claimKey, string token, ReadOnlyMemory<byte> content, long started, CancellationToken ct)
    {
        var put = await db.ExecuteAsync<(string Key, string Claim, ReadOnlyMemory<byte> Content, string Token, long Ttl), RedisResult, long>("CachePut", key,
            (key, claimKey, content, token, _ttlMs),
            static (database, s) => CacheLuaScripts.Put.EvaluateAsync(database, [s.Key, s.Claim], [s.Content, s.Token, s.Ttl]),
            static reply => (long)reply, long.MinValue, idempotent: false, ct).ConfigureAwait(false);
        switch (put)
        {
            case 1:
                CacheMetrics.RecordCached(content.Length, Stopwatch.GetElapsedTime(started), storage.Name);
                CacheLog.Cached(logger, document.Location);
                return FileOutcome.Cached;
            case 0:
                return FileOutcome.AlreadyCached;
            case -1:
                CacheLog.ClaimLost(logger, key);
                return FileOutcome.ClaimedElsewhere;
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

    private Task<long?> AppendAsync(string key, string tempKey, string claimKey, string token, ReadOnlyMemory<byte> chunk, CancellationToken ct) =>
        db.ExecuteAsync<(string Temp, string Claim, ReadOnlyMemory<byte> Chunk, string Token, long Ms), long?>("CacheAppend", key, (tempKey, claimKey, chunk, token, _claimMs),
            static async (database, s) => (long)await CacheLuaScripts.Append.EvaluateAsync(database, [s.Temp, s.Claim], [s.Chunk, s.Token, s.Ms]).ConfigureAwait(false),
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

        _ = await db.ExecuteAsync<(string Temp, string Claim, string Token), bool>("CacheAbort", tempKey, (tempKey, claimKey, token),
            static async (database, s) => (long)await CacheLuaScripts.Abort.EvaluateAsync(database, [s.Temp, s.Claim], [s.Token]).ConfigureAwait(false) == 1,
            false, idempotent: true, ct).ConfigureAwait(false);
    }
}
