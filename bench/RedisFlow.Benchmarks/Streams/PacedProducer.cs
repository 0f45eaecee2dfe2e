using System.Diagnostics;

namespace RedisFlow.Benchmarks.Streams;

/// <summary>Sends messages at a fixed rate on an absolute schedule (a late send is not made up by drifting), stamping each with its send time.</summary>
public static class PacedProducer
{
    public static async Task<int> RunAsync(int rate, TimeSpan duration, Func<TaskMessage, Task> send, CancellationToken ct)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var wait = (interval * i) - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct).ConfigureAwait(false);
            }

            await send(TaskMessage.Sample(i, Stopwatch.GetTimestamp())).ConfigureAwait(false);
        }

        return total;
    }

    /// <summary>Milliseconds from a message's send stamp to <paramref name="receivedTimestamp"/>.</summary>
    public static double LatencyMs(TaskMessage message, long receivedTimestamp) =>
        Stopwatch.GetElapsedTime(message.Sent, receivedTimestamp).TotalMilliseconds;
}
