using System.Globalization;
using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>
/// RAGFlow's executor fleet as it sits in Redis (<c>task_executor.py</c>, <c>report_status</c>): the set
/// <c>TASKEXE</c> of executor (consumer) names, and per executor a sorted set named after it holding its heartbeats,
/// JSON scored by Unix time in seconds. An executor is alive while its newest heartbeat is younger than the timeout.
/// </summary>
internal sealed class ExecutorFleet(RedisDb db)
{
    /// <summary>The set of registered executors' names.</summary>
    public const string RegistryKey = "TASKEXE";

    /// <summary>The lock under which one executor at a time removes expired ones (RAGFlow's <c>RedisDistributedLock</c> key).</summary>
    public const string CleanLockKey = "clean_task_executor";

    /// <summary>RAGFlow's <c>WORKER_HEARTBEAT_TIMEOUT</c>.</summary>
    public static readonly TimeSpan DefaultHeartbeatTimeout = TimeSpan.FromSeconds(120);

    /// <summary>How long an executor keeps its own heartbeats (RAGFlow trims older ones; its status page shows these).</summary>
    public static readonly TimeSpan HeartbeatRetention = TimeSpan.FromMinutes(30);

    /// <summary>The cleaning lock's lease, as RAGFlow takes it.</summary>
    public static readonly TimeSpan CleanLockLease = TimeSpan.FromSeconds(60);

    public RedisDb Db => db;

    /// <summary>Now as RAGFlow scores heartbeats: Unix time in seconds, with a fraction. Local clock, like RAGFlow's.</summary>
    public static double NowSeconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Whether a heartbeat scored <paramref name="score"/> is older than <paramref name="timeout"/> (RAGFlow's test: now - last &gt; timeout).</summary>
    public static bool IsExpired(double? score, double now, TimeSpan timeout) => score is not { } last || now - last > timeout.TotalSeconds;

    /// <summary>The registered executors; null on failure.</summary>
    public Task<IReadOnlySet<string>?> MembersAsync(CancellationToken ct) => db.SMembersAsync(RegistryKey, ct);

    /// <summary>
    /// The score of <paramref name="executor"/>'s newest heartbeat (ZREVRANGE 0 0 WITHSCORES, as RAGFlow reads it):
    /// Ok with null when it has none, not Ok when Redis could not answer.
    /// </summary>
    public Task<(bool Ok, double? Score)> LastHeartbeatAsync(string executor, CancellationToken ct) =>
        db.ExecuteAsync<string, (bool, double?)>(nameof(LastHeartbeatAsync), executor, executor, static async (d, key) =>
        {
            var reply = await d.ExecuteAsync("ZREVRANGE", (RedisKey)key, 0, 0, "WITHSCORES").ConfigureAwait(false);
            return (true, LastScore(reply));
        }, (false, null), idempotent: true, ct);

    /// <summary>The score of a one-member WITHSCORES reply: <c>[member, score]</c> (RESP2) or <c>[[member, score]]</c> (RESP3).</summary>
    private static double? LastScore(RedisResult reply)
    {
        if (reply.IsNull || reply.Length == 0)
        {
            return null;
        }

        var items = (RedisResult[])reply!;
        var score = items[0].Resp2Type == ResultType.Array ? ((RedisResult[])items[0]!)[1] : items[1];
        return double.Parse((string)score!, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
