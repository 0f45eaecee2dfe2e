using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// The chunk buffers of one daemon: at most <see cref="CacheOptions.ChunksInFlight"/> pooled buffers of
/// <see cref="CacheOptions.ChunkSize"/> bytes are being read or sent at once, across all files in flight, so the
/// daemon's memory depends on these two settings and not on file sizes or on how many files are fetched.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The semaphore never creates its wait handle (only WaitAsync/Release are used), so there is nothing to dispose.")]
internal sealed class ChunkWindow
{
    private readonly SemaphoreSlim _slots;
    private readonly int _chunkSize;

    public ChunkWindow(int chunks, int chunkSize)
    {
        _slots = new SemaphoreSlim(chunks, chunks);
        _chunkSize = chunkSize;
    }

    /// <summary>Waits for a free slot, then rents a buffer of at least the chunk size.</summary>
    public async ValueTask<byte[]> RentAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        return ArrayPool<byte>.Shared.Rent(_chunkSize);
    }

    /// <summary>Gives back a buffer no write refers to any more.</summary>
    public void Return(byte[] buffer)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        _slots.Release();
    }

    /// <summary>
    /// Frees the slot of a buffer a failed or timed-out write may still refer to (queued in the connection): the
    /// buffer itself is left to the garbage collector, never handed to another file.
    /// </summary>
    public void Abandon() => _slots.Release();
}
