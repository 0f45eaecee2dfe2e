using System.Collections.Concurrent;
using RedisFlow.CacheServer.Storage;

namespace RedisFlow.CacheServer.Tests.Infrastructure;

/// <summary>Wraps a real storage and counts the objects opened, per <c>bucket/location</c>.</summary>
public sealed class CountingFileStorage(IFileStorage inner) : IFileStorage
{
    public ConcurrentDictionary<string, int> Opens { get; } = new(StringComparer.Ordinal);

    public string Name => inner.Name;

    public int TotalOpens => Opens.Values.Sum();

    public Task<StoredFile> OpenReadAsync(string bucket, string location, CancellationToken ct)
    {
        Opens.AddOrUpdate($"{bucket}/{location}", 1, (_, n) => n + 1);
        return inner.OpenReadAsync(bucket, location, ct);
    }
}

/// <summary>Wraps a real storage and runs a test action just before each open (delete the object, kill Redis...).</summary>
public sealed class BeforeOpenFileStorage(IFileStorage inner, Func<string, string, CancellationToken, Task> beforeOpen) : IFileStorage
{
    public string Name => inner.Name;

    public async Task<StoredFile> OpenReadAsync(string bucket, string location, CancellationToken ct)
    {
        await beforeOpen(bucket, location, ct);
        return await inner.OpenReadAsync(bucket, location, ct);
    }
}

/// <summary>
/// Wraps a real storage and runs a test action once a file's stream has given <c>afterBytes</c> bytes (another
/// replica takes the claim, the daemon is stopped...), so the action lands in the middle of a chunked write.
/// </summary>
public sealed class MidReadFileStorage(IFileStorage inner, long afterBytes, Func<string, string, Task> action) : IFileStorage
{
    public string Name => inner.Name;

    public async Task<StoredFile> OpenReadAsync(string bucket, string location, CancellationToken ct)
    {
        var file = await inner.OpenReadAsync(bucket, location, ct);
        return new StoredFile(new HookStream(file.Content, afterBytes, () => action(bucket, location)), file.Length);
    }

    private sealed class HookStream(Stream inner, long afterBytes, Func<Task> action) : Stream
    {
        private long _read;
        private bool _fired;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_fired && _read >= afterBytes)
            {
                _fired = true;
                await action();
            }

            var read = await inner.ReadAsync(buffer, cancellationToken);
            _read += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}

/// <summary>
/// Wraps a real storage and changes the length it announces: null (a storage that does not know the size, which
/// sends the daemon down its chunked path) or a wrong value (a storage whose object changed after it was listed).
/// </summary>
public sealed class AnnouncedLengthFileStorage(IFileStorage inner, Func<long?, long?> announce) : IFileStorage
{
    /// <summary>A storage that announces no length.</summary>
    public static IFileStorage Unknown(IFileStorage inner) => new AnnouncedLengthFileStorage(inner, static _ => null);

    public string Name => inner.Name;

    public async Task<StoredFile> OpenReadAsync(string bucket, string location, CancellationToken ct)
    {
        var file = await inner.OpenReadAsync(bucket, location, ct);
        return new StoredFile(file.Content, announce(file.Length));
    }
}
