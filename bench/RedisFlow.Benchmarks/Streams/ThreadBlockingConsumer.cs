using System.Diagnostics;
using System.Net;
using RedisFlow.Transport;

namespace RedisFlow.Benchmarks.Streams;

/// <summary>
/// The host's floor for delivery latency: <c>XREADGROUP ... BLOCK</c> on a plain socket read synchronously by a
/// thread of its own (no thread pool, no event loop between the reply and the handler), acking each entry with a
/// synchronous round trip. No library does this; it shows what is left once every hop is gone.
/// </summary>
public sealed class ThreadBlockingConsumer : IAsyncDisposable
{
    private readonly LeanConnection _connection;
    private readonly string _stream;
    private readonly string _group;
    private readonly Thread _thread;
    private volatile bool _stop;

    private ThreadBlockingConsumer(LeanConnection connection, string stream, string group, Action<TaskMessage, long> onMessage)
    {
        _connection = connection;
        _stream = stream;
        _group = group;
        _thread = new Thread(() => Loop(onMessage)) { IsBackground = true, Name = "bench-thread-blocking" };
    }

    public static async Task<ThreadBlockingConsumer> StartAsync(IPEndPoint endpoint, int database, string stream, string group, Action<TaskMessage, long> onMessage, CancellationToken ct)
    {
        var settings = new LeanSettings(null, null, database, "bench-thread-blocking", false, null, null, null, TimeSpan.FromSeconds(5),
            TimeSpan.FromMilliseconds(RawBlockingConsumer.BlockMilliseconds * 3));
        var connection = await LeanConnection.OpenAsync(endpoint, settings, ct).ConfigureAwait(false);
        var consumer = new ThreadBlockingConsumer(connection, stream, group, onMessage);
        consumer._thread.Start();
        return consumer;
    }

    public ValueTask DisposeAsync()
    {
        // The loop ends after its current read returns (at most one block).
        _stop = true;
        _thread.Join(TimeSpan.FromMilliseconds(RawBlockingConsumer.BlockMilliseconds * 3));
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Loop(Action<TaskMessage, long> onMessage)
    {
        var writer = _connection.Writer;
        while (!_stop)
        {
            writer.Begin(11).Arg("XREADGROUP").Arg("GROUP").Arg(_group).Arg("thread-blocking").Arg("COUNT").Arg(1)
                .Arg("BLOCK").Arg(RawBlockingConsumer.BlockMilliseconds).Arg("STREAMS").Arg(_stream);
            writer.Arg(">");
            var reply = _connection.Execute();
            var received = Stopwatch.GetTimestamp();
            if (reply.Items is not [{ Items: [_, { Items: [{ Items: [var id, { Items: [_, var json] }] }, ..] }] }, ..])
            {
                continue;
            }

            onMessage(TaskMessage.FromJson(json.AsString()!)!, received);
            writer.Begin(4).Arg("XACK").Arg(_stream).Arg(_group).Arg(id.Bulk!);
            _ = _connection.Execute();
        }
    }
}
