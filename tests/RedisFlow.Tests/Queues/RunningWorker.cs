using RedisFlow.Queues;

namespace RedisFlow.Tests.Queues;

/// <summary>A started <see cref="QueueWorker"/> that is stopped (bounded) and disposed at the end of a test.</summary>
public sealed class RunningWorker : IAsyncDisposable
{
    private bool _disposed;

    private RunningWorker(QueueWorker worker) => Worker = worker;

    public QueueWorker Worker { get; }

    public static async Task<RunningWorker> StartAsync(RedisDb db, QueueWorkerOptions options, QueueMessageHandler handler)
    {
        var worker = new QueueWorker(db, options, handler);
        await worker.StartAsync(TestContext.Current.CancellationToken);
        return new RunningWorker(worker);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Worker.StopAsync(limit.Token);
        Worker.Dispose();
    }
}
