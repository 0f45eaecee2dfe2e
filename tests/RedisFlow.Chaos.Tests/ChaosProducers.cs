using RedisFlow.TestProcesses;

namespace RedisFlow.Chaos.Tests;

/// <summary>
/// Producers calling <see cref="RedisDb.QueueProductWithIdAsync{T}"/> in a loop, each entry <c>{"n": n, "body": ...}</c>
/// with the body from <see cref="ChaosPayload"/>. Every entry Redis acknowledged (an id came back) is recorded; an
/// entry answered false is not, even though it may exist (a lost reply), and is then counted as unconfirmed if handled.
/// </summary>
public sealed class ChaosProducers(RedisDb db, string queue, int seed, ContractBreaches breaches)
{
    private readonly Lock _gate = new();
    private readonly List<long> _acknowledged = [];
    private readonly List<string> _lastIds = [];
    private long _next;
    private long _refused;

    /// <summary>Entries tried (n handed out).</summary>
    public long Produced => Interlocked.Read(ref _next);

    /// <summary>Entries answered with no id (refused, timed out, Redis down).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>The n of every acknowledged entry.</summary>
    public IReadOnlyCollection<long> Acknowledged
    {
        get
        {
            lock (_gate)
            {
                return [.. _acknowledged];
            }
        }
    }

    /// <summary>A few of the last acknowledged stream ids, for messages.</summary>
    public string LastIds
    {
        get
        {
            lock (_gate)
            {
                return string.Join(", ", _lastIds);
            }
        }
    }

    /// <summary>Runs <paramref name="count"/> producers until <paramref name="stop"/>; an entry in flight is finished, not cancelled.</summary>
    public Task RunAsync(int count, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(i => ProduceAsync(new Random(ChaosPayload.Mix(seed, 1_000 + i)), stop)));

    private async Task ProduceAsync(Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            string? id;
            try
            {
                // Not cancelled by stop: cancelling would leave an entry whose fate is unknown.
                id = await db.QueueProductWithIdAsync(queue, new { n, body = ChaosPayload.Body(seed, n) }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex)
            {
                // Nobody cancelled: a known product bug (RedisDb lets StackExchange.Redis's cancelled task escape
                // instead of answering as for an outage). Counted and reported; the entry is not acknowledged.
                breaches.Record(nameof(RedisDb.QueueProductWithIdAsync), ex);
                id = null;
            }

            if (id is null)
            {
                Interlocked.Increment(ref _refused);
            }
            else
            {
                lock (_gate)
                {
                    _acknowledged.Add(n);
                    _lastIds.Add(id);
                    if (_lastIds.Count > 3)
                    {
                        _lastIds.RemoveAt(0);
                    }
                }
            }

            // A steady, modest rate (about 40 entries/s per producer): the run is about faults, not throughput.
            try
            {
                await Task.Delay(10 + random.Next(30), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
