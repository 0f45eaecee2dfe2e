using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RedisFlow.Locking;
using RedisFlow.Queues;
using RedisFlow.Testing;
using RedisFlow.Testing.Topologies;
using RedisFlow.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisFlow.Tests.Topologies;

/// <summary>
/// The Cluster primary owning a queue's slot is killed (SIGKILL) while a producer produces and a
/// <see cref="QueueWorker"/> consumes, and while two lock holders contend for a lock in that slot: the replica takes
/// over, the worker handles every entry produced after the failover, the holders hand the lock over. Prints the
/// outage window and how many acknowledged (produced-OK) entries the asynchronous replication lost.
/// </summary>
public sealed class ClusterQueueFailoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Primary_of_the_queue_slot_killed_the_worker_and_lock_holders_carry_on_on_the_promoted_replica()
    {
        await using var cluster = await ClusterTopology.StartAsync(Ct);
        var options = cluster.Options();
        using var logs = new CapturingLoggerFactory();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var db = await RedisDb.ConnectAsync(options, factory, Ct);
        Assert.True(db.IsCluster);

        var queue = "failover:queue:" + Guid.NewGuid().ToString("N")[..8];
        var lockKey = "{" + queue + "}:lock"; // the queue's slot, so the same kill hits both
        var victimPort = await PrimaryOwningAsync(cluster, db, queue);
        var victim = cluster.Nodes.Single(n => n.Port == victimPort);

        var handled = new ConcurrentDictionary<int, int>();
        using var worker = new QueueWorker(db, new QueueWorkerOptions
        {
            QueueName = queue,
            GroupName = "rag_flow_svr_task_broker",
            ConsumerName = "failover-worker",
            Concurrency = 4,
            BlockTimeout = TimeSpan.FromMilliseconds(500),
            ClaimIdleTime = TimeSpan.FromSeconds(2),
            ClaimInterval = TimeSpan.FromMilliseconds(500),
            MaxDeliveries = 1000,
            TrimInterval = TimeSpan.Zero, // the stream keeps every entry that survived, to count the lost ones
        }, (m, _) =>
        {
            handled.AddOrUpdate(m.GetMessage().GetProperty("n").GetInt32(), 1, (_, c) => c + 1);
            return Task.CompletedTask;
        }, factory);
        await worker.StartAsync(Ct);

        // Two holders of one lock, renewing their lease: a holds it, b waits for it through the failover.
        var lockOptions = new RedisLockOptions { Renewal = LeaseRenewal.Always };
        await using var a = new RedisDistributedLock(db, lockKey, "holder-a", TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10), lockOptions);
        await using var b = new RedisDistributedLock(db, lockKey, "holder-b", TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10), lockOptions);
        Assert.True(await a.AcquireAsync(Ct));
        var firstToken = a.FencingToken;
        using var waitLimit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        waitLimit.CancelAfter(TimeSpan.FromSeconds(120));
        var bWaiting = b.SpinAcquireAsync(waitLimit.Token);

        var load = new QueueProduceLoad(db, queue);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var producing = load.RunAsync(stop.Token);
        try
        {
            await Poll.UntilAsync(() => load.Acknowledged.Count >= 300 && handled.Count >= 200, TimeSpan.FromSeconds(30),
                "300 entries produced and 200 handled before the kill", Ct);
            await victim.KillAsync();
            await Poll.UntilAsync(() => load.Failures > 0 && load.SuccessesSinceLastFailure >= 200, TimeSpan.FromSeconds(60),
                "produces to fail and then succeed 200 times in a row on the same RedisDb", Ct);
        }
        finally
        {
            await stop.CancelAsync();
            await producing;
        }

        // The replica took over the slot.
        var newOwner = await PrimaryOwningAsync(cluster, db, queue);
        Assert.NotEqual(victimPort, newOwner);

        // Every entry produced after the failover is handled, and so is every acknowledged entry the stream still holds.
        var acknowledged = load.Acknowledged.ToDictionary(p => p.Key, p => p.Value);
        var afterFailover = acknowledged.Keys.Where(n => n > load.LastFailedNumber).ToList();
        Assert.True(afterFailover.Count >= 200, $"only {afterFailover.Count} entries produced after the last failure");
        var inStream = await StreamNumbersAsync(db, queue);
        await Poll.UntilAsync(() => afterFailover.All(handled.ContainsKey) && inStream.Where(acknowledged.ContainsKey).All(handled.ContainsKey),
            TimeSpan.FromSeconds(60), "the worker to handle every entry produced after the failover and every one the stream holds", Ct);
        var lost = acknowledged.Keys.Count(n => !inStream.Contains(n));
        var lostUnhandled = acknowledged.Keys.Count(n => !inStream.Contains(n) && !handled.ContainsKey(n));

        // The lock: a releases (if it still holds it after the failover), b gets it, then a gets it back.
        var aKept = a.IsHeld;
        if (aKept)
        {
            await a.ReleaseAsync();
        }

        await bWaiting.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.True(b.IsHeld);
        var bToken = b.FencingToken;
        // Even when the promoted replica lacks the last increments of the counter, tokens must not go back.
        Assert.True(bToken > firstToken, $"fencing token {bToken} after the failover, {firstToken} before it");
        await b.ReleaseAsync();
        Assert.True(await a.AcquireAsync(Ct), "holder a could not re-acquire the lock after the failover");
        Assert.True(a.FencingToken > bToken, $"fencing token {a.FencingToken} after b's {bToken}");
        await a.ReleaseAsync();

        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await worker.StopAsync(limit.Token);
        }

        var detail = string.Create(CultureInfo.InvariantCulture,
            $"FAILOVER Cluster queue worker: {handled.Count} distinct entries handled ({handled.Count(h => h.Value > 1)} more than once), " +
            $"all {afterFailover.Count} entries produced after the failover handled, {lost} acknowledged entries missing from the stream " +
            $"({lostUnhandled} of them never handled); lock holder a {(aKept ? "kept" : "lost")} its lease through the failover, " +
            $"then b took the lock (fencing {bToken}) and a took it back (fencing {a.FencingToken}; first {firstToken})");
        TestReport.Write(detail);
        Assert.True(load.Slowest < options.OperationTimeout + TimeSpan.FromSeconds(5), $"slowest produce took {load.Slowest}");
        FailoverTests.Report("Cluster queue", (load.OutageWindow, load.Failures, acknowledged.Count, load.Slowest), lost);
    }

    /// <summary>The port of the primary that serves <paramref name="key"/>'s slot now, as the cluster itself says.</summary>
    internal static async Task<int> PrimaryOwningAsync(ClusterTopology cluster, RedisDb db, string key)
    {
        var slot = (await db.GetConnectionAsync(Ct)).HashSlot(key);
        int? owner = null;
        await Poll.UntilAsync(async () =>
        {
            var view = await cluster.ViewAsync(Ct);
            owner = view.FirstOrDefault(v => v.IsPrimary && !v.Failed && v.Slots.Any(range => Covers(range, slot)))?.Port;
            return owner is not null;
        }, TimeSpan.FromSeconds(60), $"a live primary serving slot {slot}", Ct);
        return owner!.Value;
    }

    private static bool Covers(string range, int slot)
    {
        if (range.StartsWith('['))
        {
            return false; // a slot being migrated
        }

        var parts = range.Split('-');
        var from = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var to = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : from;
        return slot >= from && slot <= to;
    }

    /// <summary>
    /// The entry numbers the stream holds now (read in pages through the same <see cref="RedisDb"/>, retried on
    /// failure). <see cref="CommandFlags.DemandMaster"/> in <paramref name="flags"/> keeps a Sentinel client from
    /// reading a replica still catching up (which would show entries as lost) while it has not yet followed a promotion.
    /// </summary>
    internal static async Task<HashSet<int>> StreamNumbersAsync(RedisDb db, string queue, CommandFlags flags = CommandFlags.None)
    {
        var numbers = new HashSet<int>();
        var raw = await db.GetDatabaseAsync(Ct);
        RedisValue from = "-";
        for (var page = 0; page < 10_000; page++)
        {
            StreamEntry[]? entries = null;
            for (var attempt = 0; attempt < 5 && entries is null; attempt++)
            {
                try
                {
                    entries = await raw.StreamRangeAsync(queue, from, "+", 1000, flags: flags);
                }
                catch (RedisException) when (attempt < 4)
                {
                }
            }

            foreach (var entry in entries!)
            {
                if (StreamQueue.TryDecode(entry.Values, RedisDbOptions.DefaultMaxMessageBytes, out var message, out _))
                {
                    numbers.Add(message.GetProperty("n").GetInt32());
                }
            }

            if (entries.Length < 1000)
            {
                return numbers;
            }

            from = "(" + entries[^1].Id;
        }

        throw new InvalidOperationException("The stream did not end within 10 000 pages.");
    }
}
