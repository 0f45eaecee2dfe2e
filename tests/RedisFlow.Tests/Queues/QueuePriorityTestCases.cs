using System.Collections.Concurrent;
using RedisFlow.Cluster;
using RedisFlow.Queues;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Queues;

/// <summary>
/// A worker over two queues in priority order on every topology; on Cluster the two sit in different hash slots
/// (as RAGFlow's untagged te.1.common and te.0.common may), which a single multi-key read could not serve.
/// </summary>
public abstract class QueuePriorityTestCases(IRedisTopology topology) : QueueTopologyTestBase(topology)
{
    [Fact]
    public async Task With_a_backlog_in_both_queues_no_low_entry_is_handed_out_while_a_high_one_waits()
    {
        var (high, low) = TwoQueues();
        for (var i = 0; i < 30; i++)
        {
            await Db.QueueProductAsync(low, new { i }, Ct);
            await Db.QueueProductAsync(high, new { i }, Ct);
        }

        var highLag = new ConcurrentBag<long?>();
        var handled = new ConcurrentDictionary<string, int>();
        await using var worker = await RunningWorker.StartAsync(Db, Options(high, low, o => o.Concurrency = 4), async (m, ct) =>
        {
            if (m.QueueName == low)
            {
                highLag.Add((await Db.QueueInfoAsync(high, "g", ct))?.Lag);
            }

            handled.AddOrUpdate(m.QueueName, 1, (_, n) => n + 1);
        });

        await WaitUntilAsync(() => handled.Values.Sum() == 60, what: "60 entries handled");
        Assert.Equal(30, handled[high]);
        Assert.Equal(30, handled[low]);
        Assert.All(highLag, lag => Assert.Equal(0, lag));
    }

    [Fact]
    public async Task An_idle_worker_blocks_on_both_queues_at_once_and_gets_an_entry_of_either()
    {
        var (high, low) = TwoQueues();
        var client = "prio-" + Guid.NewGuid().ToString("N")[..8];
        await using var db = await ConnectAnotherAsync(client);
        var handled = new ConcurrentQueue<string>();
        await using var worker = await RunningWorker.StartAsync(db, Options(high, low, o => o.BlockTimeout = TimeSpan.FromSeconds(20)), (m, _) =>
        {
            handled.Enqueue(m.QueueName);
            return Task.CompletedTask;
        });

        // One blocked XREADGROUP naming both streams; on Cluster one per hash slot, each on its own node.
        var expected = Db.IsCluster ? 2 : 1;
        await WaitUntilAsync(async () => await BlockedReadsAsync(client + ":blocking") == expected, what: $"{expected} blocked reads");
        await Db.QueueProductAsync(low, new { n = 1 }, Ct);
        await WaitUntilAsync(() => handled.Count == 1, what: "the low entry delivered");
        await WaitUntilAsync(async () => await BlockedReadsAsync(client + ":blocking") == expected, what: "blocked again on both");
        await Db.QueueProductAsync(high, new { n = 2 }, Ct);
        await WaitUntilAsync(() => handled.Count == 2, what: "the high entry delivered");
        Assert.Equal([low, high], handled);
    }

    [Fact]
    public async Task Stalled_entries_of_each_queue_are_claimed_and_acknowledged_in_their_own_queue()
    {
        var (high, low) = TwoQueues();
        await Db.QueueProductAsync(high, new { q = "high" }, Ct);
        await Db.QueueProductAsync(low, new { q = "low" }, Ct);
        Assert.NotNull(await Db.QueueConsumerAsync(high, "g", "gone-container", TimeSpan.Zero, ct: Ct));
        Assert.NotNull(await Db.QueueConsumerAsync(low, "g", "gone-container", TimeSpan.Zero, ct: Ct));

        var handled = new ConcurrentQueue<string>();
        await using var worker = await RunningWorker.StartAsync(Db, Options(high, low, o =>
        {
            o.ClaimIdleTime = TimeSpan.FromMilliseconds(200);
            o.ClaimInterval = TimeSpan.FromMilliseconds(100);
        }), (m, _) =>
        {
            handled.Enqueue(m.GetMessage().GetProperty("q").GetString()!);
            return Task.CompletedTask;
        });

        await WaitUntilAsync(async () => handled.Count == 2
                                         && (await Db.QueueInfoAsync(high, "g", Ct))?.Pending == 0
                                         && (await Db.QueueInfoAsync(low, "g", Ct))?.Pending == 0, what: "both stalled entries claimed and acknowledged");
        Assert.Equal(["high", "low"], handled.Order());
    }

    /// <summary>Two fresh queue names; on Cluster in different hash slots.</summary>
    private (string High, string Low) TwoQueues()
    {
        var high = Key(":high");
        for (var i = 0; i < 100; i++)
        {
            var low = Key(":low");
            if (RedisHashSlot.Of(low) != RedisHashSlot.Of(high))
            {
                return (high, low);
            }
        }

        throw new InvalidOperationException("no second slot found");
    }

    private async Task<int> BlockedReadsAsync(string clientName)
    {
        var connection = await Db.GetConnectionAsync(Ct);
        var blocked = 0;
        foreach (var server in connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            var list = (string?)await server.ExecuteAsync("CLIENT", "LIST") ?? string.Empty;
            blocked += list.Split('\n').Count(line => line.Contains($" name={clientName} ", StringComparison.Ordinal)
                                                      && line.Contains(" cmd=xreadgroup ", StringComparison.Ordinal)
                                                      && line.Contains(" flags=b ", StringComparison.Ordinal));
        }

        return blocked;
    }

    private static QueueWorkerOptions Options(string high, string low, Action<QueueWorkerOptions>? configure = null)
    {
        var options = new QueueWorkerOptions
        {
            QueueNames = { high, low },
            GroupName = "g",
            ConsumerName = "w",
            BlockTimeout = TimeSpan.FromMilliseconds(500),
            TrimInterval = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        return options;
    }
}

public sealed class StandaloneQueuePriorityTests(RedisFixture fixture) : QueuePriorityTestCases(fixture);

public sealed class ClusterQueuePriorityTests(ClusterFixture fixture) : QueuePriorityTestCases(fixture);
