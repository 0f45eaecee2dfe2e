using System.Collections.Concurrent;

namespace RedisFlow.Queues;

/// <summary>
/// One of the queues a <see cref="QueueWorker"/> serves, with what the worker keeps per queue: who it reads as there
/// (and so where its acks go), the entries it holds from it, and those waiting for a handler. Entry ids are unique
/// within a stream only, so the sets are per queue.
/// </summary>
internal sealed class WorkerLane
{
    public WorkerLane(int priority, Func<WorkerLane, StreamConsumer> consumer)
    {
        Priority = priority;
        Consumer = consumer(this);
    }

    /// <summary>Position in the worker's queue list: 0 is served first.</summary>
    public int Priority { get; }

    public StreamConsumer Consumer { get; }

    public string Queue => Consumer.Queue;

    public AckBatcher Acks => (AckBatcher)Consumer.Acks;

    /// <summary>Entries held (read, being handled, or awaiting their ack), by id.</summary>
    public ConcurrentDictionary<string, RedisMsg?> InFlight { get; } = new(StringComparer.Ordinal);

    /// <summary>Entries read and waiting for a handler loop.</summary>
    public ConcurrentQueue<RedisMsg> Work { get; } = new();
}
