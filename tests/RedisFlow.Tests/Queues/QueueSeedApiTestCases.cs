using System.Text.Json;
using System.Text.Json.Serialization;
using RedisFlow.Queues;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Queues;

/// <summary>The seed's queue methods on every topology (one-line subclasses at the end).</summary>
public abstract class QueueSeedApiTestCases(IRedisTopology topology) : QueueTopologyTestBase(topology)
{
    private sealed record Task1(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("doc_id")] string DocId,
        [property: JsonPropertyName("page")] int Page,
        [property: JsonPropertyName("score")] double Score);

    [Fact]
    public async Task Produced_message_is_consumed_decoded_and_acked()
    {
        var queue = Key();
        Assert.True(await Db.QueueProductAsync(queue, new { id = "t1", doc_id = "d1", page = 3 }, Ct));

        var msg = await Db.QueueConsumerAsync(queue, "g", "c1", ct: Ct);

        Assert.NotNull(msg);
        Assert.Equal(queue, msg.QueueName);
        Assert.Equal("g", msg.GroupName);
        Assert.Equal("c1", msg.ConsumerName);
        Assert.Matches(@"^\d+-\d+$", msg.GetMsgId());
        Assert.Equal("t1", msg.GetMessage().GetProperty("id").GetString());
        Assert.Equal(3, msg.GetMessage().GetProperty("page").GetInt32());
        Assert.Single(await Db.GetPendingMsgAsync(queue, "g", ct: Ct));
        Assert.True(await msg.AckAsync(Ct));
        Assert.True(msg.IsAcknowledged);
        Assert.Empty(await Db.GetPendingMsgAsync(queue, "g", ct: Ct));
    }

    [Fact]
    public async Task Consumer_creates_the_group_at_zero_so_entries_written_before_it_are_delivered()
    {
        var queue = Key();
        await Db.QueueProductAsync(queue, new { n = 1 }, Ct);
        await Db.QueueProductAsync(queue, new { n = 2 }, Ct);

        var first = await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);
        var second = await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);
        var none = await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);

        Assert.Equal(1, first!.GetMessage().GetProperty("n").GetInt32());
        Assert.Equal(2, second!.GetMessage().GetProperty("n").GetInt32());
        Assert.Null(none);
    }

    [Fact]
    public async Task Consumer_on_a_missing_stream_creates_it_and_answers_null()
    {
        var queue = Key();
        Assert.Null(await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct));
        var info = await Db.QueueInfoAsync(queue, "g", Ct);
        Assert.NotNull(info);
        Assert.Equal(0, info.Pending);
    }

    [Fact]
    public async Task Concurrent_group_creation_is_fine()
    {
        var queue = Key();
        await Db.QueueProductAsync(queue, new { n = 1 }, Ct);
        await using var other = await ConnectAnotherAsync("redisflow-test-other");
        var reads = await Task.WhenAll(
            Db.QueueConsumerAsync(queue, "g", "a", TimeSpan.Zero, ct: Ct),
            other.QueueConsumerAsync(queue, "g", "b", TimeSpan.Zero, ct: Ct));
        Assert.Single(reads, r => r is not null);
    }

    [Fact]
    public async Task GetMessage_of_T_reads_typed_values_including_python_nan()
    {
        var queue = Key();
        var raw = await RawAsync();
        await raw.StreamAddAsync(queue, "message", "{\"id\": \"t1\", \"doc_id\": \"d1\", \"page\": 2, \"score\": NaN}");
        var msg = await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);
        var task = msg!.GetMessage<Task1>();
        Assert.NotNull(task);
        Assert.Equal("t1", task.Id);
        Assert.Equal("d1", task.DocId);
        Assert.Equal(2, task.Page);
        Assert.True(double.IsNaN(task.Score));
    }

    [Fact]
    public async Task Unacked_iterator_yields_this_consumers_pending_entries_of_each_queue_oldest_first_and_skips_missing_ones()
    {
        var q1 = Key("1");
        var q2 = Key("2");
        for (var i = 0; i < 3; i++)
        {
            await Db.QueueProductAsync(q1, new { q = 1, i }, Ct);
        }

        for (var i = 0; i < 150; i++)
        {
            await Db.QueueProductAsync(q2, new { q = 2, i }, Ct);
        }

        for (var i = 0; i < 3; i++)
        {
            await Db.QueueConsumerAsync(q1, "g", "mine", TimeSpan.Zero, ct: Ct);
        }

        var acked = await Db.QueueConsumerAsync(q1, "g", "other", TimeSpan.Zero, ct: Ct); // nothing left for "other"
        Assert.Null(acked);
        for (var i = 0; i < 150; i++)
        {
            var m = await Db.QueueConsumerAsync(q2, "g", "mine", TimeSpan.Zero, ct: Ct);
            if (i % 2 == 0)
            {
                await m!.AckAsync(Ct);
            }
        }

        var seen = new List<(int Q, int I)>();
        await foreach (var m in Db.GetUnackedIteratorAsync([Key("missing"), q1, q2], "g", "mine", Ct))
        {
            seen.Add((m.GetMessage().GetProperty("q").GetInt32(), m.GetMessage().GetProperty("i").GetInt32()));
        }

        Assert.Equal([(1, 0), (1, 1), (1, 2), .. Enumerable.Range(0, 150).Where(i => i % 2 == 1).Select(i => (2, i))], seen);
        var nothing = new List<RedisMsg>();
        await foreach (var m in Db.GetUnackedIteratorAsync([q1], "no-such-group", "mine", Ct))
        {
            nothing.Add(m);
        }

        Assert.Empty(nothing);
        Assert.Null(await Db.QueueInfoAsync(q1, "no-such-group", Ct)); // the iterator created nothing
    }

    [Fact]
    public async Task Pending_lists_id_consumer_idle_and_delivery_count_and_is_empty_for_a_missing_stream()
    {
        var queue = Key();
        var id = await Db.QueueProductWithIdAsync(queue, new { n = 1 }, Ct);
        await Db.QueueConsumerAsync(queue, "g", "c1", TimeSpan.Zero, ct: Ct);
        await Db.QueueConsumerAsync(queue, "g", "c1", TimeSpan.Zero, msgId: "0", ct: Ct); // a second delivery

        var pending = Assert.Single(await Db.GetPendingMsgAsync(queue, "g", ct: Ct));
        Assert.Equal(id, pending.Id);
        Assert.Equal("c1", pending.Consumer);
        Assert.Equal(2, pending.DeliveryCount);
        Assert.True(pending.Idle >= TimeSpan.Zero);
        Assert.Empty(await Db.GetPendingMsgAsync(Key("missing"), "g", ct: Ct));
        Assert.Empty(await Db.GetPendingMsgAsync(queue, "no-such-group", ct: Ct));
    }

    [Fact]
    public async Task Pending_count_limits_the_rows()
    {
        var queue = Key();
        for (var i = 0; i < 15; i++)
        {
            await Db.QueueProductAsync(queue, new { i }, Ct);
            await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);
        }

        Assert.Equal(10, (await Db.GetPendingMsgAsync(queue, "g", ct: Ct)).Count);
        Assert.Equal(15, (await Db.GetPendingMsgAsync(queue, "g", 100, Ct)).Count);
    }

    [Fact]
    public async Task Requeue_adds_the_same_fields_as_a_new_entry_and_acks_the_old_one_in_one_step()
    {
        var queue = Key();
        await Db.QueueProductAsync(queue, new { job = "x" }, Ct);
        var msg = await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);

        var newId = await Db.RequeueMsgWithIdAsync(queue, "g", msg!.GetMsgId(), Ct);

        Assert.NotNull(newId);
        Assert.NotEqual(msg.GetMsgId(), newId);
        Assert.Empty(await Db.GetPendingMsgAsync(queue, "g", ct: Ct));
        var again = await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);
        Assert.Equal(newId, again!.GetMsgId());
        Assert.Equal("x", again.GetMessage().GetProperty("job").GetString());
        // The old entry is no longer pending, so requeueing it again (a retried call) adds nothing.
        Assert.False(await Db.RequeueMsgAsync(queue, "g", msg.GetMsgId(), Ct));
        Assert.Equal(2, await Db.QueueLengthAsync(queue, Ct));
    }

    [Fact]
    public async Task Queue_info_reports_the_group()
    {
        var queue = Key();
        for (var i = 0; i < 4; i++)
        {
            await Db.QueueProductAsync(queue, new { i }, Ct);
        }

        var a = await Db.QueueConsumerAsync(queue, "g", "c1", TimeSpan.Zero, ct: Ct);
        await Db.QueueConsumerAsync(queue, "g", "c2", TimeSpan.Zero, ct: Ct);
        await a!.AckAsync(Ct);

        var info = await Db.QueueInfoAsync(queue, "g", Ct);

        Assert.NotNull(info);
        Assert.Equal("g", info.Name);
        Assert.Equal(2, info.Consumers);
        Assert.Equal(1, info.Pending);
        Assert.Equal(2, info.EntriesRead);
        Assert.Equal(2, info.Lag);
        Assert.Null(await Db.QueueInfoAsync(Key("missing"), "g", Ct));
    }

    [Fact]
    public async Task Produce_writes_utf8_json_with_non_ascii_kept()
    {
        var queue = Key();
        await Db.QueueProductAsync(queue, new { name = "文档" }, Ct);
        var raw = await RawAsync();
        var entry = Assert.Single(await raw.StreamRangeAsync(queue));
        Assert.Equal("{\"name\":\"文档\"}", (string?)entry["message"]);
        using var doc = JsonDocument.Parse((string)entry["message"]!);
        Assert.Equal("文档", doc.RootElement.GetProperty("name").GetString());
    }
}

public sealed class StandaloneQueueSeedApiTests(RedisFixture fixture) : QueueSeedApiTestCases(fixture);

public sealed class ClusterQueueSeedApiTests(ClusterFixture fixture) : QueueSeedApiTestCases(fixture);
