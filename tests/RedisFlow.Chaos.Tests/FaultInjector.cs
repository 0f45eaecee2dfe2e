using System.Diagnostics;
using RedisFlow.TestProcesses;

namespace RedisFlow.Chaos.Tests;

/// <summary>The faults a chaos run injects.</summary>
public enum Fault
{
    /// <summary>SIGKILL of a worker process, restarted after a moment.</summary>
    KillWorker,

    /// <summary>SIGKILL of redis-server, started again on the same port and folder (its AOF).</summary>
    RedisRestart,

    /// <summary><c>CLIENT PAUSE ... ALL</c>, or SIGSTOP then SIGCONT: every command waits, bounded.</summary>
    Pause,

    /// <summary><c>CLIENT KILL TYPE normal</c>: every client connection dropped.</summary>
    ClientKill,

    /// <summary>Memory filled to <c>maxmemory</c> (writes refused, or keys evicted in the RAGFlow mode), then freed.</summary>
    Oom,
}

/// <summary>
/// Injects faults one after another until the window ends: a seeded <see cref="Random"/> chooses the waits, the
/// lengths, the worker, and the order of each round, a shuffle of every <see cref="Fault"/> kind, so every kind
/// happens in any run of a few rounds and a seed replays the same sequence.
/// </summary>
public sealed class FaultInjector(ChaosRedis redis, ChaosWorkers workers, int seed, Action<string> log)
{
    private readonly Random _random = new(ChaosPayload.Mix(seed, 6_000));
    private readonly Dictionary<Fault, int> _counts = Enum.GetValues<Fault>().ToDictionary(f => f, _ => 0);
    private int _stalls;
    private int _refusals;
    private long _evicted;

    /// <summary>How many of each fault were injected.</summary>
    public IReadOnlyDictionary<Fault, int> Counts => _counts;

    /// <summary>Pauses that were SIGSTOPs (the others were <c>CLIENT PAUSE</c>).</summary>
    public int Stalls => _stalls;

    /// <summary>Memory fills that ended with Redis refusing a write.</summary>
    public int Refusals => _refusals;

    /// <summary>Keys Redis evicted during the memory fills (the RAGFlow mode's volatile-lru; 0 under noeviction).</summary>
    public long Evicted => _evicted;

    /// <summary>Injects faults until <paramref name="window"/> has passed, then leaves every worker and Redis running.</summary>
    public async Task RunAsync(TimeSpan window, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var round = new Queue<Fault>();
        while (clock.Elapsed < window)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1_000 + _random.Next(3_000)), ct).ConfigureAwait(false);
            if (clock.Elapsed >= window)
            {
                break;
            }

            if (round.Count == 0)
            {
                var kinds = Enum.GetValues<Fault>();
                _random.Shuffle(kinds);
                kinds.ToList().ForEach(round.Enqueue);
            }

            var fault = round.Dequeue();
            log($"{clock.Elapsed.TotalSeconds,6:0.0}s {await InjectAsync(fault, ct).ConfigureAwait(false)}");
            _counts[fault]++;
        }
    }

    private async Task<string> InjectAsync(Fault fault, CancellationToken ct)
    {
        switch (fault)
        {
            case Fault.KillWorker:
            {
                var slots = workers.KillableSlots;
                var slot = slots[_random.Next(slots.Count)];
                var down = Length(200, 2_000);
                await workers.KillAsync(slot).ConfigureAwait(false);
                await Task.Delay(down, ct).ConfigureAwait(false);
                await workers.RestartAsync(slot).ConfigureAwait(false);
                return $"kill-worker slot {slot}, restarted after {down.TotalMilliseconds:0} ms";
            }

            case Fault.RedisRestart:
            {
                var down = Length(200, 2_000);
                await redis.KillAndRestartAsync(down, ct).ConfigureAwait(false);
                return $"redis-restart, down {down.TotalMilliseconds:0} ms";
            }

            case Fault.Pause when _random.Next(2) == 0:
            {
                var length = Length(500, 3_000);
                await redis.ClientPauseAsync(length, ct).ConfigureAwait(false);
                return $"pause (CLIENT PAUSE) {length.TotalMilliseconds:0} ms";
            }

            case Fault.Pause:
            {
                // Up to 4 s: longer than the lock's 3 s lease, so a holder can lose its lease while Redis is stopped.
                var length = Length(500, 4_000);
                await redis.StallAsync(length, ct).ConfigureAwait(false);
                _stalls++;
                return $"pause (SIGSTOP) {length.TotalMilliseconds:0} ms";
            }

            case Fault.ClientKill:
                return $"client-kill, {await redis.KillClientsAsync(ct).ConfigureAwait(false)} connections";

            case Fault.Oom:
            {
                var hold = Length(1_000, 3_000);
                var evictedBefore = await redis.EvictedKeysAsync(ct).ConfigureAwait(false);
                var (filled, refused) = await redis.FillMemoryAsync(hold, ct).ConfigureAwait(false);
                var evicted = await redis.EvictedKeysAsync(ct).ConfigureAwait(false) - evictedBefore;
                _evicted += Math.Max(0, evicted);
                _refusals += refused ? 1 : 0;
                return $"oom, {filled} MB written, {(refused ? "then refused" : "never refused")}, {evicted} keys evicted, held {hold.TotalMilliseconds:0} ms";
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    private TimeSpan Length(int minMs, int maxMs) => TimeSpan.FromMilliseconds(minMs + _random.Next(maxMs - minMs));
}
