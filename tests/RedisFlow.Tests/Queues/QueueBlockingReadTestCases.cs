using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Queues;

/// <summary>
/// The blocking read path (a dedicated lean connection, <c>XREADGROUP ... BLOCK</c>, <c>CLIENT UNBLOCK</c> on
/// cancellation) on standalone, Cluster, TLS and Sentinel: one entry consumed while blocked, a blocked read cancelled,
/// and a read the lean connection cannot answer (an error reply) answered by the multiplexer.
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
        // It was read on the lean connection, whose own thread blocks in the reply.
        Assert.True(consumer.Queue.LeanBlockingReads >= 1);
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

    [Fact]
    public async Task A_read_the_lean_connection_answers_with_an_error_gets_the_multiplexers_answer()
    {
        var queue = Key();
        var name = UniqueClientName();
        await using var consumer = await ConnectAnotherAsync(name);
        Assert.Null(await consumer.QueueConsumerAsync(queue, "g", "c", TimeSpan.FromMilliseconds(100), ct: Ct));
        var leanReads = consumer.Queue.LeanBlockingReads;
        Assert.True(leanReads >= 1);

        // The group vanishes behind the consumer's back: its next read gets NOGROUP on the lean connection, which hands
        // it to the multiplexer; that answer makes the consumer create the group again (from 0) and read the entry.
        var raw = await RawAsync();
        Assert.True(await raw.StreamDeleteConsumerGroupAsync(queue, "g"));
        await Db.QueueProductAsync(queue, new { n = 1 }, Ct);
        var msg = await consumer.QueueConsumerAsync(queue, "g", "c", TimeSpan.FromSeconds(5), ct: Ct);
        Assert.Equal(1, msg!.GetMessage().GetProperty("n").GetInt32());
        Assert.True(await msg.AckAsync(Ct));

        // The lean connection was kept (an error reply is not a failure) and answers the next blocking read.
        leanReads = consumer.Queue.LeanBlockingReads;
        var waiting = consumer.QueueConsumerAsync(queue, "g", "c", TimeSpan.FromSeconds(20), ct: Ct);
        await WaitUntilAsync(() => IsBlockedInXReadGroupAsync(name + ":blocking"), what: "the consumer blocked in XREADGROUP");
        await Db.QueueProductAsync(queue, new { n = 2 }, Ct);
        var next = await waiting;
        Assert.Equal(2, next!.GetMessage().GetProperty("n").GetInt32());
        Assert.True(consumer.Queue.LeanBlockingReads > leanReads);
    }

    private static string UniqueClientName() => "redisflow-test-" + Guid.NewGuid().ToString("N")[..12];
}

public sealed class StandaloneQueueBlockingReadTests(RedisFixture fixture) : QueueBlockingReadTestCases(fixture);

public sealed class ClusterQueueBlockingReadTests(ClusterFixture fixture) : QueueBlockingReadTestCases(fixture);

public sealed class TlsQueueBlockingReadTests(TlsFixture fixture) : QueueBlockingReadTestCases(fixture), IClassFixture<TlsFixture>;

public sealed class SentinelQueueBlockingReadTests(SentinelFixture fixture) : QueueBlockingReadTestCases(fixture), IClassFixture<SentinelFixture>;
