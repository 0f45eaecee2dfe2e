using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Queues;

/// <summary>
/// The blocking read path (a dedicated connection, <c>XREADGROUP ... BLOCK</c>, <c>CLIENT UNBLOCK</c> on
/// cancellation) on standalone, Cluster, TLS and Sentinel: one entry consumed while blocked, a blocked read cancelled.
/// </summary>
public abstract class QueueBlockingReadTestCases(IRedisTopology topology) : QueueTopologyTestBase(topology)
{
    [Fact]
    public async Task Blocking_consumer_receives_an_entry_produced_while_it_waits()
    {
        var queue = Key();
        var name = UniqueClientName();
        await using var consumer = await ConnectAnotherAsync(name);
        Assert.Null(await consumer.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct));
        var waiting = consumer.QueueConsumerAsync(queue, "g", "c", TimeSpan.FromSeconds(20), ct: Ct);
        await WaitUntilAsync(() => IsBlockedInXReadGroupAsync(name + ":blocking"), what: "the consumer blocked in XREADGROUP");
        Assert.False(waiting.IsCompleted);
        await Db.QueueProductAsync(queue, new { late = true }, Ct);
        var msg = await waiting;
        Assert.NotNull(msg);
        Assert.True(msg.GetMessage().GetProperty("late").GetBoolean());
    }

    [Fact]
    public async Task Cancelling_a_blocking_read_unblocks_it_on_its_node_and_the_connection_is_reused()
    {
        var queue = Key();
        var name = UniqueClientName();
        await using var consumer = await ConnectAnotherAsync(name);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        // The longest block there is: only CLIENT UNBLOCK on the node holding the read can end it well before that.
        var waiting = consumer.QueueConsumerAsync(queue, "g", "c", TimeSpan.FromSeconds(30), ct: cts.Token);
        await WaitUntilAsync(() => IsBlockedInXReadGroupAsync(name + ":blocking"), what: "the consumer blocked in XREADGROUP");
        await cts.CancelAsync();
        // A generous bound, still far below the 30 s block: a TimeoutException here means the unblock missed its node.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(15), Ct));
        Assert.False(await IsBlockedInXReadGroupAsync(name + ":blocking"));

        // The unblocked connection serves the next read at once.
        await Db.QueueProductAsync(queue, new { n = 1 }, Ct);
        var msg = await consumer.QueueConsumerAsync(queue, "g", "c", TimeSpan.FromSeconds(5), ct: Ct);
        Assert.Equal(1, msg!.GetMessage().GetProperty("n").GetInt32());
    }

    private static string UniqueClientName() => "redisflow-test-" + Guid.NewGuid().ToString("N")[..12];
}

public sealed class StandaloneQueueBlockingReadTests(RedisFixture fixture) : QueueBlockingReadTestCases(fixture);

public sealed class ClusterQueueBlockingReadTests(ClusterFixture fixture) : QueueBlockingReadTestCases(fixture);

public sealed class TlsQueueBlockingReadTests(TlsFixture fixture) : QueueBlockingReadTestCases(fixture), IClassFixture<TlsFixture>;

public sealed class SentinelQueueBlockingReadTests(SentinelFixture fixture) : QueueBlockingReadTestCases(fixture), IClassFixture<SentinelFixture>;
