using System.Collections.Concurrent;

namespace RedisFlow.Tests.Durability;

/// <summary>
/// Producers adding numbered 8 KiB entries to one queue through one <see cref="RedisDb"/> without pause, recording
/// which were acknowledged (produce answered true) and how many were refused (false).
/// </summary>
internal sealed class LargeEntryProducer(RedisDb db, string queue)
{
    public const int PayloadBytes = 8 * 1024;

    private static readonly string Padding = new('x', PayloadBytes);
    private readonly ConcurrentDictionary<int, byte> _acknowledged = new();
    private long _refused;
    private int _next;

    /// <summary>Numbers of the acknowledged entries.</summary>
    public ICollection<int> Acknowledged => _acknowledged.Keys;

    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Produces one entry; true when acknowledged.</summary>
    public async Task<bool> ProduceAsync()
    {
        var n = Interlocked.Increment(ref _next);
        if (await db.QueueProductAsync(queue, new { n, pad = Padding }, CancellationToken.None))
        {
            _acknowledged[n] = 0;
            return true;
        }

        Interlocked.Increment(ref _refused);
        return false;
    }

    /// <summary>Runs <paramref name="producers"/> loops until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(int producers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested && i < 1_000_000; i++)
            {
                await ProduceAsync();
            }
        }, CancellationToken.None)));
}
