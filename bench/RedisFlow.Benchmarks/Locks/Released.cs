namespace RedisFlow.Benchmarks.Locks;

/// <summary>A held lock whose disposal runs the library's release.</summary>
public sealed class Released(Func<ValueTask> release) : IAsyncDisposable
{
    private int _done;

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _done, 1) == 0 ? release() : ValueTask.CompletedTask;
}
