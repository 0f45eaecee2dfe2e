namespace RedisFlow.Benchmarks.Locks;

/// <summary>One lock implementation, reduced to what the lock scenario measures.</summary>
public interface ILockUnderTest
{
    /// <summary>Row label, for example <c>RedLock.net 2.3.2</c>.</summary>
    string Label { get; }

    /// <summary>One attempt without waiting: the held lock (dispose releases it), or null when taken.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string key, CancellationToken ct);

    /// <summary>Waits up to <paramref name="wait"/> the way the library waits: the held lock, or null on timeout.</summary>
    Task<IAsyncDisposable?> AcquireWaitingAsync(string key, TimeSpan wait, CancellationToken ct);
}
