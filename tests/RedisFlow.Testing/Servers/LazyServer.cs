namespace RedisFlow.Testing.Servers;

/// <summary>
/// Starts a server the first time a test asks for it and shares it afterwards, so a fixture registered for the
/// whole assembly costs nothing in runs that filter its tests out. A failed start is retried by the next caller.
/// </summary>
public sealed class LazyServer<T>(Func<CancellationToken, Task<T>> start) : IAsyncDisposable
    where T : class, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private T? _server;
    private bool _disposed;

    /// <summary>The server, started on first use.</summary>
    public async Task<T> GetAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _server) is { } running)
        {
            return running;
        }

        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _server ??= await start(ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_server is not null)
            {
                await _server.DisposeAsync().ConfigureAwait(false);
                _server = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
