using System.Diagnostics;
using RedisFlow.Queues;

namespace RedisFlow.Benchmarks.Streams;

/// <summary>The RedisFlow side of the queue scenarios, written as a user of the library would.</summary>
public static class RedisFlowStreams
{
    /// <summary>One <c>QueueProductAsync</c> of a freshly built message (serialized by RedisFlow).</summary>
    public static async Task ProduceAsync(RedisDb db, string queue, int i)
    {
        if (!await db.QueueProductAsync(queue, TaskMessage.Sample(i)).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"QueueProductAsync failed on {queue}.");
        }
    }

    /// <summary>
    /// <paramref name="consumers"/> seed-style loops: <c>QueueConsumerAsync</c>, decode, <c>AckAsync</c>, until a
    /// read answers nothing. Returns the entries handled.
    /// </summary>
    public static async Task<int> ConsumeAsync(RedisDb db, string queue, string group, int consumers)
    {
        var handled = 0;
        var loops = Enumerable.Range(0, consumers).Select(c => Task.Run(async () =>
        {
            var name = $"flow-{c}";
            while (true)
            {
                // A short block: the stream is full, so an empty answer means it is drained.
                var message = await db.QueueConsumerAsync(queue, group, name, TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
                if (message is null)
                {
                    return;
                }

                _ = message.GetMessage<TaskMessage>();
                if (!await message.AckAsync().ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"AckAsync failed for {message}.");
                }

                Interlocked.Increment(ref handled);
            }
        })).ToArray();
        await Task.WhenAll(loops).ConfigureAwait(false);
        return handled;
    }

    /// <summary>
    /// A <see cref="QueueWorker"/> with <paramref name="concurrency"/> handlers drains the queue; timed from start to
    /// the moment it has handled and acknowledged <paramref name="expected"/> entries. <paramref name="readAhead"/> is
    /// <see cref="QueueWorkerOptions.ReadAhead"/> (0, the default: never more entries than free handlers).
    /// </summary>
    public static async Task<(int Handled, TimeSpan Elapsed)> WorkerDrainAsync(RedisDb db, string queue, string group, int concurrency, int expected, CancellationToken ct, int readAhead = 0)
    {
        var options = new QueueWorkerOptions
        {
            QueueName = queue,
            GroupName = group,
            ConsumerName = "flow-worker",
            Concurrency = concurrency,
            ReadAhead = readAhead,
        };
        using var worker = new QueueWorker(db, options, static (message, handlerToken) =>
        {
            _ = message.GetMessage<TaskMessage>();
            return Task.CompletedTask;
        });
        var started = Stopwatch.GetTimestamp();
        await worker.StartAsync(ct).ConfigureAwait(false);
        var deadline = Stopwatch.GetTimestamp();
        while (worker.HandledCount < expected && Stopwatch.GetElapsedTime(deadline) < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(1, ct).ConfigureAwait(false);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var handled = (int)worker.HandledCount;
        await worker.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return (handled, elapsed);
    }

    /// <summary>A worker at concurrency 1 that reports each message's delivery; dispose stops it.</summary>
    public static async Task<IAsyncDisposable> StartLatencyWorkerAsync(RedisDb db, string queue, string group, Action<TaskMessage, long> onMessage, CancellationToken ct)
    {
        var options = new QueueWorkerOptions { QueueName = queue, GroupName = group, ConsumerName = "flow-latency", Concurrency = 1 };
        var worker = new QueueWorker(db, options, (message, _) =>
        {
            var received = Stopwatch.GetTimestamp();
            onMessage(message.GetMessage<TaskMessage>()!, received);
            return Task.CompletedTask;
        });
        await worker.StartAsync(ct).ConfigureAwait(false);
        return new Stopper(async () =>
        {
            await worker.StopAsync(CancellationToken.None).ConfigureAwait(false);
            worker.Dispose();
        });
    }

    /// <summary>A seed-style loop (<c>QueueConsumerAsync</c> with its default 1 s block, then ack) reporting each delivery; dispose stops it.</summary>
    public static Task<IAsyncDisposable> StartLatencyLoopAsync(RedisDb db, string queue, string group, Action<TaskMessage, long> onMessage)
    {
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var message = await db.QueueConsumerAsync(queue, group, "flow-loop").ConfigureAwait(false);
                if (message is null)
                {
                    continue;
                }

                var received = Stopwatch.GetTimestamp();
                onMessage(message.GetMessage<TaskMessage>()!, received);
                await message.AckAsync().ConfigureAwait(false);
            }
        });
        return Task.FromResult<IAsyncDisposable>(new Stopper(async () =>
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
            stop.Dispose();
        }));
    }

    private sealed class Stopper(Func<Task> stop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await stop().ConfigureAwait(false);
    }
}
