using System.Diagnostics;
using StackExchange.Redis;

namespace RedisFlow.Benchmarks.Streams;

/// <summary>
/// The best raw consumer for latency: <c>XREADGROUP ... BLOCK</c> on a connection of its own (a blocking command
/// would stall every other caller of a shared multiplexer), acking each entry as it arrives.
/// </summary>
public sealed class RawBlockingConsumer : IAsyncDisposable
{
    public const int BlockMilliseconds = 2_000;
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _db;
    private readonly string _stream;
    private readonly string _group;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private RawBlockingConsumer(ConnectionMultiplexer connection, string stream, string group)
    {
        _connection = connection;
        _db = connection.GetDatabase(Harness.BenchContext.Database);
        _stream = stream;
        _group = group;
    }

    public static async Task<RawBlockingConsumer> StartAsync(string endpoint, string stream, string group, Action<TaskMessage, long> onMessage)
    {
        var options = ConfigurationOptions.Parse(endpoint);
        options.ClientName = "bench-raw-blocking";
        options.AsyncTimeout = BlockMilliseconds * 3;
        options.DefaultDatabase = Harness.BenchContext.Database;
        var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        var consumer = new RawBlockingConsumer(connection, stream, group);
        consumer._loop = Task.Run(() => consumer.LoopAsync(onMessage));
        return consumer;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync(Action<TaskMessage, long> onMessage)
    {
        while (!_stop.IsCancellationRequested)
        {
            var reply = await _db.ExecuteAsync("XREADGROUP", "GROUP", _group, "raw-blocking", "COUNT", 1, "BLOCK", BlockMilliseconds, "STREAMS", _stream, ">").ConfigureAwait(false);
            var received = Stopwatch.GetTimestamp();
            if (reply.IsNull)
            {
                continue;
            }

            // [[stream, [[id, [field, value]]]]]
            var entry = (RedisResult[])((RedisResult[])((RedisResult[])reply!)[0]!)[1]!;
            var first = (RedisResult[])entry[0]!;
            var id = (string)first[0]!;
            var fields = (RedisResult[])first[1]!;
            var message = TaskMessage.FromJson((string)fields[1]!)!;
            onMessage(message, received);
            await _db.StreamAcknowledgeAsync(_stream, _group, id).ConfigureAwait(false);
        }
    }
}
