using RedisFlow.Queues;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Queues;

/// <summary>Poison entries move atomically to the queue's dead-letter stream and can be re-driven.</summary>
public abstract class DeadLetterTestCases(IRedisTopology topology) : QueueTopologyTestBase(topology)
{
    [Fact]
    public async Task Consumer_moves_entries_without_message_or_with_invalid_json_to_the_dead_letter_stream_and_returns_the_next_good_one()
    {
        var queue = Key();
        var raw = await RawAsync();
        await raw.StreamAddAsync(queue, "other", "x");
        await raw.StreamAddAsync(queue, "message", "{not json");
        await Db.QueueProductAsync(queue, new { ok = true }, Ct);

        var msg = await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);

        Assert.True(msg!.GetMessage().GetProperty("ok").GetBoolean());
        var dead = await Db.GetDeadLettersAsync(queue, ct: Ct);
        Assert.Equal([DeadLetterReasons.MissingMessage, DeadLetterReasons.InvalidJson], dead.Select(d => d.Reason));
        Assert.All(dead, d => Assert.Equal("g", d.Group));
        Assert.All(dead, d => Assert.Equal(1, d.Deliveries));
        Assert.Equal("{not json", dead[1].Message);
        Assert.Equal([new KeyValuePair<string, string>("other", "x")], dead[0].Fields);
        // Acknowledged in the same step: only the good entry is pending.
        Assert.Equal(msg.GetMsgId(), Assert.Single(await Db.GetPendingMsgAsync(queue, "g", ct: Ct)).Id);
        Assert.Equal(3, await Db.QueueLengthAsync(queue, Ct)); // not deleted by default
    }

    [Fact]
    public async Task Explicit_dead_letter_with_delete_acks_and_removes_the_entry_and_only_pending_entries_move()
    {
        var queue = Key();
        await Db.QueueProductAsync(queue, new { n = 1 }, Ct);
        var msg = await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);

        Assert.True(await Db.DeadLetterMsgAsync(queue, "g", msg!.GetMsgId(), "handler gave up", deleteOriginal: true, Ct));

        Assert.Equal(0, await Db.QueueLengthAsync(queue, Ct));
        Assert.Empty(await Db.GetPendingMsgAsync(queue, "g", ct: Ct));
        var dead = Assert.Single(await Db.GetDeadLettersAsync(queue, ct: Ct));
        Assert.Equal("handler gave up", dead.Reason);
        Assert.Equal(msg.GetMsgId(), dead.SourceId);
        Assert.Equal("{\"n\":1}", dead.Message);
        // Not pending any more: a second attempt moves nothing.
        Assert.False(await Db.DeadLetterMsgAsync(queue, "g", msg.GetMsgId(), "again", ct: Ct));
        Assert.Single(await Db.GetDeadLettersAsync(queue, ct: Ct));
    }

    [Fact]
    public async Task Redrive_puts_the_original_fields_back_on_the_queue_and_removes_the_dead_letter()
    {
        var queue = Key();
        await Db.QueueProductAsync(queue, new { n = 7 }, Ct);
        var msg = await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);
        await Db.DeadLetterMsgAsync(queue, "g", msg!.GetMsgId(), "test", ct: Ct);
        var dead = Assert.Single(await Db.GetDeadLettersAsync(queue, ct: Ct));

        var newId = await Db.RedriveDeadLetterAsync(queue, dead.Id, Ct);

        Assert.NotNull(newId);
        Assert.Empty(await Db.GetDeadLettersAsync(queue, ct: Ct));
        var again = await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);
        Assert.Equal(newId, again!.GetMsgId());
        Assert.Equal(7, again.GetMessage().GetProperty("n").GetInt32());
        var raw = await RawAsync();
        var entry = (await raw.StreamRangeAsync(queue, newId, newId))[0];
        Assert.Equal(["message"], entry.Values.Select(v => (string)v.Name!)); // no dead_* metadata carried over
        Assert.Null(await Db.RedriveDeadLetterAsync(queue, dead.Id, Ct));
    }
}

public sealed class StandaloneDeadLetterTests(RedisFixture fixture) : DeadLetterTestCases(fixture);

public sealed class ClusterDeadLetterTests(ClusterFixture fixture) : DeadLetterTestCases(fixture);
