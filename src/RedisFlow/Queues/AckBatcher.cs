using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>
/// Coalesces acknowledgements: handlers queue their ids, and one loop sends everything queued so far as a single
/// XACK. While one XACK is in flight the next batch gathers, so under load many acks share a round trip and when
/// idle an ack goes out at once (no timer, no added delay).
/// </summary>
/// <remarks>
/// The worker's own acks (<see cref="Enqueue"/>) carry no completion object: the outcome of each id is reported to
/// the callback given at construction once its batch's XACK has answered, so an entry costs no task, no
/// continuation and no thread hop of its own. <see cref="AckAsync"/> (a handler calling <see cref="RedisMsg.AckAsync"/>
/// itself) gets a task that completes with its batch.
/// </remarks>
internal sealed class AckBatcher : IAckSink
{
    private const int MaxBatch = 1_000;
    private readonly StreamQueue _queue;
    private readonly string _queueName;
    private readonly string _group;
    private readonly ILogger _logger;
    private readonly Action<string, bool>? _acked;
    private readonly Channel<(string Id, TaskCompletionSource<bool>? Done)> _channel =
        Channel.CreateUnbounded<(string, TaskCompletionSource<bool>?)>(new UnboundedChannelOptions { SingleReader = true });

    /// <param name="queue">The queue engine the XACKs go through.</param>
    /// <param name="queueName">The stream.</param>
    /// <param name="group">The consumer group.</param>
    /// <param name="logger">Where a failed XACK is logged.</param>
    /// <param name="acked">Called for every id queued with <see cref="Enqueue"/> once its XACK answered (true) or failed (false).</param>
    public AckBatcher(StreamQueue queue, string queueName, string group, ILogger logger, Action<string, bool>? acked = null)
    {
        _queue = queue;
        _queueName = queueName;
        _group = group;
        _logger = logger;
        _acked = acked;
    }

    /// <summary>Queues an ack; after <see cref="Complete"/>, acknowledges directly instead.</summary>
    public Task<bool> AckAsync(RedisMsg message, CancellationToken ct)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        return _channel.Writer.TryWrite((message.Id, done))
            ? done.Task
            : _queue.AckAsync(_queueName, _group, [message.Id], ct);
    }

    /// <summary>Queues an ack whose outcome goes to the constructor's callback; after <see cref="Complete"/>, sends it at once.</summary>
    public void Enqueue(string id)
    {
        if (!_channel.Writer.TryWrite((id, null)))
        {
            _ = AckLateAsync(id);
        }
    }

    /// <summary>No more acks will be queued; <see cref="RunAsync"/> ends once the queue is empty.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Sends queued acks until <see cref="Complete"/> and the queue is drained.</summary>
    public async Task RunAsync()
    {
        var batch = new List<(string Id, TaskCompletionSource<bool>? Done)>(MaxBatch);
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            var ids = new RedisValue[batch.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = batch[i].Id;
            }

            // Never cancelled: an ack that can still be sent must be, even during shutdown.
            var ok = await _queue.AckAsync(_queueName, _group, ids, CancellationToken.None).ConfigureAwait(false);
            if (!ok)
            {
                QueueLog.AckFailed(_logger, _queueName, _group, ids.Length);
            }

            foreach (var (id, done) in batch)
            {
                if (done is null)
                {
                    _acked?.Invoke(id, ok);
                }
                else
                {
                    done.TrySetResult(ok);
                }
            }

            batch.Clear();
        }
    }

    private async Task AckLateAsync(string id)
    {
        var ok = await _queue.AckAsync(_queueName, _group, [id], CancellationToken.None).ConfigureAwait(false);
        _acked?.Invoke(id, ok);
    }
}
