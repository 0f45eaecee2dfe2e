using RedisFlow.Queues;

namespace RedisFlow.Cli.Commands;

/// <summary>
/// The entries <c>queue consume</c> prints, one at a time: new ones from the highest queue that has one (several
/// arriving in one read are served in turn), or with <c>--pending</c> this consumer's pending ones, queue by queue in
/// priority order, oldest first.
/// </summary>
internal sealed class EntrySource(RedisDb db, string[] queues, string group, string consumer, bool pending, TimeSpan block)
{
    private readonly Queue<RedisMsg> _ready = new();
    private IAsyncEnumerator<RedisMsg>? _pending;

    /// <summary>Entries delivered by a read but not handed out (the command stopped first).</summary>
    public IEnumerable<RedisMsg> Unprinted => _ready;

    /// <summary>The next entry; null when none is there now (or Redis could not answer).</summary>
    public async Task<RedisMsg?> NextAsync(CancellationToken ct)
    {
        if (pending)
        {
            _pending ??= db.GetUnackedIteratorAsync(queues, group, consumer, ct).GetAsyncEnumerator(ct);
            return await _pending.MoveNextAsync().ConfigureAwait(false) ? _pending.Current : null;
        }

        if (_ready.Count == 0)
        {
            foreach (var message in await db.QueueConsumerFirstAsync(queues, group, consumer, block, ct).ConfigureAwait(false))
            {
                _ready.Enqueue(message);
            }
        }

        return _ready.TryDequeue(out var next) ? next : null;
    }
}
