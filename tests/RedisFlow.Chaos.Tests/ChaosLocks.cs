using System.Diagnostics;
using System.Globalization;
using RedisFlow.Locking;
using RedisFlow.TestProcesses;
using StackExchange.Redis;

namespace RedisFlow.Chaos.Tests;

/// <summary>
/// Lock holders sharing one <see cref="RedisDistributedLock"/> key, each incrementing a counter inside the critical
/// section: a read, then a write guarded by the fencing token (the counter's store refuses a token lower than the
/// last one it took, and a write whose read value is stale). Every acquisition and its token is recorded. At the end
/// the counter must equal the increments applied and the tokens, in acquisition order, must only go up.
/// </summary>
/// <remarks>
/// The counter lives in the same Redis, written through a plain StackExchange.Redis connection (the protected
/// resource, not the code under test). A write is retried until it lands (bounded): the script is idempotent for a
/// token, so a retry after a lost reply answers <c>already</c> instead of counting twice. A retry that finds a newer
/// token has won meanwhile cannot tell whether its earlier attempt landed: it is counted as ambiguous, and the
/// counter check allows for it (printed; 0 in practice).
/// </remarks>
public sealed class ChaosLocks(RedisDb db, IDatabase resource, int seed, ContractBreaches breaches)
{
    private const string LockKey = "chaos:lock";
    private const string CounterKey = "chaos:counter";
    private const string FenceKey = "chaos:counter:fence";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan WriteLimit = TimeSpan.FromSeconds(60);

    // KEYS: counter, last token, lock. ARGV: token, value read, new value, our lock value.
    // Answers "<outcome>:<1 when the lock still held our value>".
    private const string FencedWrite = """
        local held = redis.call('GET', KEYS[3]) == ARGV[4] and '1' or '0'
        local last = tonumber(redis.call('GET', KEYS[2]) or '0')
        local token = tonumber(ARGV[1])
        if token == last then return 'already:' .. held end
        if token < last then return 'fenced:' .. held end
        if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[2] then return 'conflict:' .. held end
        redis.call('SET', KEYS[1], ARGV[3])
        redis.call('SET', KEYS[2], ARGV[1])
        return 'ok:' .. held
        """;

    private readonly Lock _gate = new();
    private readonly List<long> _tokens = [];
    private long _applied;
    private long _fencedOut;
    private long _ambiguous;
    private long _abandoned;
    private long _writesAfterLeaseLost;

    /// <summary>Successful acquisitions.</summary>
    public long Acquisitions
    {
        get
        {
            lock (_gate)
            {
                return _tokens.Count;
            }
        }
    }

    /// <summary>Increments the store took (answered ok, or already after a lost reply).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Writes refused because a newer token had written first (a holder whose lease ran out meanwhile).</summary>
    public long FencedOut => Interlocked.Read(ref _fencedOut);

    /// <summary>Retries refused as fenced after an attempt whose reply was lost: it may or may not have landed.</summary>
    public long Ambiguous => Interlocked.Read(ref _ambiguous);

    /// <summary>Writes given up after <see cref="WriteLimit"/> of failures.</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    /// <summary>Writes that landed while the lock key no longer held the writer's value (lease expired or evicted).</summary>
    public long WritesAfterLeaseLost => Interlocked.Read(ref _writesAfterLeaseLost);

    /// <summary>Places where a token was not higher than the one acquired before it (0 when they only go up).</summary>
    public IReadOnlyList<string> TokenRegressions
    {
        get
        {
            lock (_gate)
            {
                return [.. Enumerable.Range(1, Math.Max(0, _tokens.Count - 1))
                    .Where(i => _tokens[i] <= _tokens[i - 1])
                    .Select(i => $"#{i}: {_tokens[i]} after {_tokens[i - 1]}")];
            }
        }
    }

    /// <summary>The counter's value now.</summary>
    public async Task<long> CounterAsync() => (long?)await resource.StringGetAsync(CounterKey).ConfigureAwait(false) ?? 0;

    /// <summary>Runs <paramref name="holders"/> holders until <paramref name="stop"/>; a critical section in progress is finished.</summary>
    public Task RunAsync(int holders, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, holders).Select(i => HoldAsync(new Random(ChaosPayload.Mix(seed, 2_000 + i)), stop)));

    private async Task HoldAsync(Random random, CancellationToken stop)
    {
        await using var mutex = new RedisDistributedLock(db, LockKey, timeout: Lease, blockingTimeout: TimeSpan.FromSeconds(2));
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!await mutex.AcquireAsync(stop).ConfigureAwait(false))
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException ex)
            {
                // Nobody cancelled: the product bug ContractBreaches describes. Counted; the holder goes on.
                breaches.Record(nameof(RedisDistributedLock.AcquireAsync), ex);
                continue;
            }

            var token = mutex.FencingToken;
            lock (_gate)
            {
                _tokens.Add(token);
            }

            // Work inside the critical section, so holders overlap whenever the lock fails to exclude.
            await Task.Delay(random.Next(20), CancellationToken.None).ConfigureAwait(false);
            await IncrementAsync(token, mutex.LockValue).ConfigureAwait(false);
            try
            {
                await mutex.ReleaseAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException ex)
            {
                breaches.Record(nameof(RedisDistributedLock.ReleaseAsync), ex);
            }
        }
    }

    private async Task IncrementAsync(long token, string lockValue)
    {
        var clock = Stopwatch.StartNew();
        var replyLost = false;
        while (clock.Elapsed < WriteLimit)
        {
            string outcome;
            try
            {
                var read = (string?)await resource.StringGetAsync(CounterKey).ConfigureAwait(false) ?? "0";
                var next = (long.Parse(read, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
                outcome = (string)(await resource.ScriptEvaluateAsync(FencedWrite, [CounterKey, FenceKey, LockKey],
                    [token, read, next, lockValue]).ConfigureAwait(false))!;
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                // Down, paused, refused (OOM) or the connection was killed: the write may have landed; retry.
                // (RedisTimeoutException is a TimeoutException, not a RedisException.)
                replyLost = true;
                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            var parts = outcome.Split(':');
            switch (parts[0])
            {
                case "ok" or "already":
                    Interlocked.Increment(ref _applied);
                    if (parts[1] == "0")
                    {
                        Interlocked.Increment(ref _writesAfterLeaseLost);
                    }

                    return;
                case "fenced":
                    Interlocked.Increment(ref replyLost ? ref _ambiguous : ref _fencedOut);
                    return;
                default:
                    // conflict: another holder wrote since our read (lease lost); read again and retry.
                    continue;
            }
        }

        Interlocked.Increment(ref _abandoned);
    }
}
