using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Queues;

/// <summary>Trimming drops only entries every consumer group has acknowledged.</summary>
public abstract class TrimTestCases(IRedisTopology topology) : QueueTopologyTestBase(topology)
{
    [Fact]
    public async Task Trim_keeps_pending_and_undelivered_entries_of_every_group()
    {
        var queue = Key();
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await Db.QueueProductWithIdAsync(queue, new { i }, Ct))!);
        }

        // Group a: reads 6, acks all but #2. Group b: reads and acks 8.
        for (var i = 0; i < 6; i++)
        {
            var m = await Db.QueueConsumerAsync(queue, "a", "c", TimeSpan.Zero, ct: Ct);
            if (i != 2)
            {
                await m!.AckAsync(Ct);
            }
        }

        for (var i = 0; i < 8; i++)
        {
            await (await Db.QueueConsumerAsync(queue, "b", "c", TimeSpan.Zero, ct: Ct))!.AckAsync(Ct);
        }

        var result = await Db.TrimQueueAsync(queue, Ct);

        Assert.NotNull(result);
        Assert.Equal(2, result.Deleted); // #0 and #1: acknowledged by both groups
        Assert.Equal(ids[2], result.MinId);
        var raw = await RawAsync();
        var left = (await raw.StreamRangeAsync(queue)).Select(e => (string)e.Id!).ToList();
        Assert.Equal(ids.Skip(2), left);

        // Group a acks #2 and reads on to the end: now b's undelivered #8 is the limit.
        await foreach (var m in Db.GetUnackedIteratorAsync([queue], "a", "c", Ct))
        {
            await m.AckAsync(Ct);
        }

        for (var i = 6; i < 10; i++)
        {
            await (await Db.QueueConsumerAsync(queue, "a", "c", TimeSpan.Zero, ct: Ct))!.AckAsync(Ct);
        }

        result = await Db.TrimQueueAsync(queue, Ct);
        Assert.Equal(6, result!.Deleted);
        Assert.Equal(ids.Skip(8), (await raw.StreamRangeAsync(queue)).Select(e => (string)e.Id!));
        Assert.NotNull(await Db.QueueConsumerAsync(queue, "b", "c", TimeSpan.Zero, ct: Ct));
    }

    [Fact]
    public async Task A_stream_without_groups_or_a_missing_stream_is_not_trimmed()
    {
        var queue = Key();
        await Db.QueueProductAsync(queue, new { i = 1 }, Ct);
        Assert.Equal(0, (await Db.TrimQueueAsync(queue, Ct))!.Deleted);
        Assert.Equal(1, await Db.QueueLengthAsync(queue, Ct));
        Assert.Equal(0, (await Db.TrimQueueAsync(Key("missing"), Ct))!.Deleted);
    }

    [Fact]
    public async Task A_fully_acknowledged_stream_is_trimmed_to_empty()
    {
        var queue = Key();
        for (var i = 0; i < 5; i++)
        {
            await Db.QueueProductAsync(queue, new { i }, Ct);
            await (await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct))!.AckAsync(Ct);
        }

        Assert.Equal(5, (await Db.TrimQueueAsync(queue, Ct))!.Deleted);
        Assert.Equal(0, await Db.QueueLengthAsync(queue, Ct));
        await Db.QueueProductAsync(queue, new { after = true }, Ct);
        Assert.NotNull(await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct));
    }
}

public sealed class StandaloneTrimTests(RedisFixture fixture) : TrimTestCases(fixture);

public sealed class ClusterTrimTests(ClusterFixture fixture) : TrimTestCases(fixture);
