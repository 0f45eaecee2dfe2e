using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using RedisFlow.Queues;
using RedisFlow.Testing.Fixtures;
using StackExchange.Redis;

namespace RedisFlow.Tests.Queues;

/// <summary>
/// Entries another producer could write with a plain XADD (docs/bad-input.md): what cannot be read goes to the
/// dead-letter stream with a reason and its bytes, what Python writes by default is delivered, and neither the seed's
/// consumer nor a <see cref="QueueWorker"/> stops at any of them.
/// </summary>
public sealed class BadQueueEntryTests(RedisFixture fixture) : QueueTopologyTestBase(fixture)
{
    private const int FiftyMegabytes = 50 * 1024 * 1024;

    private static readonly byte[] InvalidUtf8 = [.. "{\"name\": \""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8];

    private static readonly string DeepJson = new string('[', 10_000) + new string(']', 10_000);

    private const string PythonDefaults = "{\"score\": NaN, \"high\": Infinity, \"low\": -Infinity}";

    [Fact]
    public async Task Seed_consumer_dead_letters_each_unreadable_entry_with_its_reason_and_delivers_python_literals_and_good_entries()
    {
        var queue = Key();
        var raw = await RawAsync();
        await raw.StreamAddAsync(queue, "other", "x");                      // no message field
        await raw.StreamAddAsync(queue, "message", "{\"a\": ");              // not JSON
        var invalidUtf8 = (string)(await raw.StreamAddAsync(queue, "message", InvalidUtf8))!;
        await raw.StreamAddAsync(queue, "message", DeepJson);                // 10,000 deep
        await raw.StreamAddAsync(queue, "message", PythonDefaults);          // json.dumps's NaN/Infinity
        await Db.QueueProductAsync(queue, new { ok = 1 }, Ct);

        var delivered = new List<RedisMsg>();
        for (var call = 0; call < 10; call++)
        {
            var message = await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);
            if (message is null)
            {
                break;
            }

            delivered.Add(message);
            Assert.True(await message.AckAsync(Ct));
        }

        Assert.Equal(2, delivered.Count);
        var python = delivered[0].GetMessage<PythonNumbers>()!;
        Assert.True(double.IsNaN(python.Score));
        Assert.Equal(double.PositiveInfinity, python.High);
        Assert.Equal(double.NegativeInfinity, python.Low);
        Assert.Equal(1, delivered[1].GetMessage().GetProperty("ok").GetInt32());

        var dead = await Db.GetDeadLettersAsync(queue, ct: Ct);
        Assert.Equal([DeadLetterReasons.MissingMessage, DeadLetterReasons.InvalidJson, DeadLetterReasons.InvalidJson, DeadLetterReasons.InvalidJson],
            dead.Select(d => d.Reason));
        Assert.Equal(invalidUtf8, dead[2].SourceId);
        Assert.Equal(DeepJson, dead[3].Message);
        // The bytes are moved as they are, not decoded and re-encoded: the invalid sequence survives in Redis.
        Assert.Equal(InvalidUtf8, await RawMessageBytesAsync(raw, QueueKeys.DeadLetter(queue), dead[2].Id));
        // Nothing lost: every entry is still in the queue (not deleted by default) and nothing is left pending.
        Assert.Equal(6, await Db.QueueLengthAsync(queue, Ct));
        Assert.Empty(await Db.GetPendingMsgAsync(queue, "g", ct: Ct));
    }

    [Fact]
    public async Task A_50_MB_entry_is_delivered_under_the_default_limit_and_dead_lettered_as_too_large_above_MaxMessageBytes()
    {
        var queue = Key();
        var raw = await RawAsync();
        try
        {
            await raw.StreamAddAsync(queue, "message", LargeJson(FiftyMegabytes));
            await Db.QueueProductAsync(queue, new { after = true }, Ct);

            var options = Fixture.Options(o => o.MaxMessageBytes = 1024 * 1024);
            await using (var limited = await RedisDb.ConnectAsync(options, ct: Ct))
            {
                var next = await limited.QueueConsumerAsync(queue, "limited", "c", TimeSpan.Zero, ct: Ct);
                Assert.True(next!.GetMessage().GetProperty("after").GetBoolean());
                var dead = Assert.Single(await limited.GetDeadLettersAsync(queue, ct: Ct));
                Assert.Equal(DeadLetterReasons.MessageTooLarge, dead.Reason);
                Assert.Equal("limited", dead.Group);
                Assert.Equal(FiftyMegabytes, dead.Message!.Length);
            }

            var whole = await Db.QueueConsumerAsync(queue, "default", "c", TimeSpan.Zero, ct: Ct);
            Assert.Equal(FiftyMegabytes - 12, whole!.GetMessage().GetProperty("blob").GetString()!.Length);
            Assert.Equal(RedisDbOptions.DefaultMaxMessageBytes, Db.Options.MaxMessageBytes);
        }
        finally
        {
            // 100 MB would otherwise stay in the run's shared server.
            await raw.KeyDeleteAsync([queue, QueueKeys.DeadLetter(queue)]);
        }
    }

    [Fact]
    public async Task Worker_dead_letters_unreadable_entries_keeps_running_and_handles_the_good_entries_after_them()
    {
        var queue = Key();
        var raw = await RawAsync();
        var handled = new ConcurrentQueue<string>();
        var options = Fixture.Options(o => o.MaxMessageBytes = 16 * 1024 * 1024);
        await using var db = await RedisDb.ConnectAsync(options, ct: Ct);
        try
        {
            await raw.StreamAddAsync(queue, "other", "x");
            await raw.StreamAddAsync(queue, "message", "not json at all");
            await raw.StreamAddAsync(queue, "message", InvalidUtf8);
            await raw.StreamAddAsync(queue, "message", DeepJson);
            await raw.StreamAddAsync(queue, "message", LargeJson(FiftyMegabytes));
            await raw.StreamAddAsync(queue, "message", PythonDefaults);
            await using var worker = await RunningWorker.StartAsync(db, new QueueWorkerOptions
            {
                QueueName = queue,
                GroupName = "g",
                ConsumerName = "w",
                BlockTimeout = TimeSpan.FromMilliseconds(500),
                TrimInterval = TimeSpan.Zero,
            }, (m, _) =>
            {
                handled.Enqueue(m.GetMessage().TryGetProperty("i", out var i) ? $"good {i.GetInt32()}" : $"nan {double.IsNaN(m.GetMessage<PythonNumbers>()!.Score)}");
                return Task.CompletedTask;
            });

            await WaitUntilAsync(async () => (await db.GetDeadLettersAsync(queue, ct: Ct)).Count == 5, TimeSpan.FromSeconds(60), "five dead letters");
            for (var i = 1; i <= 3; i++)
            {
                await db.QueueProductAsync(queue, new { i }, Ct);
            }

            await WaitUntilAsync(() => handled.Count >= 4, TimeSpan.FromSeconds(30), "the good entries after the bad ones");
            await WaitUntilAsync(async () => (await db.QueueInfoAsync(queue, "g", Ct))?.Pending == 0, TimeSpan.FromSeconds(30), "nothing pending");

            Assert.False(worker.Worker.ExecuteTask!.IsCompleted);
            Assert.Equal(["good 1", "good 2", "good 3", "nan True"], handled.Distinct().Order(StringComparer.Ordinal));
            var dead = await db.GetDeadLettersAsync(queue, ct: Ct);
            Assert.Equal(
                [DeadLetterReasons.MissingMessage, DeadLetterReasons.InvalidJson, DeadLetterReasons.InvalidJson, DeadLetterReasons.InvalidJson, DeadLetterReasons.MessageTooLarge],
                dead.Select(d => d.Reason));
            Assert.Equal(9, await db.QueueLengthAsync(queue, Ct));
        }
        finally
        {
            await raw.KeyDeleteAsync([queue, QueueKeys.DeadLetter(queue)]);
        }
    }

    private RedisFixture Fixture => (RedisFixture)Topology;

    /// <summary><c>{"blob": "aaa..."}</c> of exactly <paramref name="bytes"/> bytes.</summary>
    private static byte[] LargeJson(int bytes)
    {
        var json = new byte[bytes];
        "{\"blob\": \""u8.CopyTo(json);
        json.AsSpan(10, bytes - 12).Fill((byte)'a');
        json[^2] = (byte)'"';
        json[^1] = (byte)'}';
        return json;
    }

    private static async Task<byte[]> RawMessageBytesAsync(IDatabase raw, string stream, string id)
    {
        var entry = Assert.Single(await raw.StreamRangeAsync(stream, id, id));
        return (byte[])entry.Values.Single(v => v.Name == "message").Value!;
    }

    private sealed record PythonNumbers(
        [property: JsonPropertyName("score")] double Score,
        [property: JsonPropertyName("high")] double High,
        [property: JsonPropertyName("low")] double Low);
}
