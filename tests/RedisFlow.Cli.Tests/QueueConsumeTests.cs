using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace RedisFlow.Cli.Tests;

/// <summary>Issue 12 rows 1, 2, 13, 14 and 17 (input): what <c>queue consume</c>, <c>ack</c> and <c>produce</c> deliver, and never lose.</summary>
public sealed class QueueConsumeTests(RedisFixture fixture)
{
    private readonly SharedRedis redis = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Consume_ack_stops_at_a_closed_pipe_and_acks_only_what_was_written()
    {
        // Row 1. Each line is larger than a pipe's buffer (64 KB), so the second write cannot complete once the reader is gone.
        var queue = SharedRedis.Name("q-pipe");
        var big = new string('x', 200_000);
        for (var i = 0; i < 10; i++)
        {
            await redis.Db.StreamAddAsync(queue, "message", JsonSerializer.Serialize(new { n = i, pad = big }));
        }

        using (var process = CliRunner.Start(null, false, "queue", "consume", queue, "-g", "g", "-c", "c", "--count", "10", "--ack", "--redis", redis.Endpoint))
        {
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            var first = await process.StandardOutput.ReadLineAsync(Ct);
            process.StandardOutput.Close(); // the reader goes away, as `| head -n 1` does
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.NotEqual(0, process.ExitCode);
            Assert.Contains("closed the pipe", await stderr, StringComparison.Ordinal);
            using var line = JsonDocument.Parse(first!);
            Assert.Equal(queue, line.RootElement.GetProperty("queue").GetString());
            Assert.Equal(0, line.RootElement.GetProperty("message").GetProperty("n").GetInt32());
            Assert.False(line.RootElement.TryGetProperty("acked", out _));
        }

        // Only the printed entry was acknowledged: the rest comes back, the pending one first.
        var group = (await redis.Db.StreamGroupInfoAsync(queue)).Single();
        Assert.Equal(9, group.PendingMessageCount + (group.Lag ?? -100));
        var (code, again, _) = await CliRunner.RunAsync("queue", "consume", queue, "-g", "g", "-c", "c", "--pending", "--count", "10", "--ack", "--redis", redis.Endpoint);
        Assert.Equal(0, code);
        var (code2, rest, _) = await CliRunner.RunAsync("queue", "consume", queue, "-g", "g", "-c", "c", "--count", "20", "--ack", "--redis", redis.Endpoint);
        Assert.Equal(0, code2);
        var numbers = (again + rest).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => { using var d = JsonDocument.Parse(l); return d.RootElement.GetProperty("message").GetProperty("n").GetInt32(); })
            .Order().ToList();
        Assert.Equal(Enumerable.Range(1, 9), numbers);
    }

    [Fact]
    public async Task Deeply_nested_messages_are_produced_and_delivered_and_deeper_ones_dead_lettered()
    {
        // Row 2: valid JSON nested 100 and 1,000 deep is delivered (and can be produced); 5,000 deep is dead-lettered, not lost.
        var queue = SharedRedis.Name("q-deep");
        static string Nested(int depth) => new string('[', depth) + "1" + new string(']', depth);
        var (produced, _, produceErr) = await CliRunner.RunWithInputAsync(null, Encoding.UTF8.GetBytes(Nested(1000)), "queue", "produce", queue, "-", "--redis", redis.Endpoint);
        Assert.True(produced == 0, produceErr);
        await redis.Db.StreamAddAsync(queue, "message", Nested(100));
        await redis.Db.StreamAddAsync(queue, "message", Nested(5000));

        var (code, stdout, stderr) = await CliRunner.RunAsync("queue", "consume", queue, "-g", "g", "-c", "c", "--count", "3", "--ack", "--redis", redis.Endpoint);
        Assert.True(code == 0, stderr);
        CliRunner.NoStackTrace(stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        static int Depth(string line)
        {
            using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 10_000 });
            var depth = 0;
            for (var e = doc.RootElement.GetProperty("message"); e.ValueKind == JsonValueKind.Array; e = e[0])
            {
                depth++;
            }

            return depth;
        }

        Assert.Equal([1000, 100], lines.Select(Depth));
        var dead = await redis.Db.StreamRangeAsync("{" + queue + "}:dead");
        var entry = Assert.Single(dead);
        Assert.Equal(Nested(5000), (string?)entry["message"]);
        Assert.Equal(0, (await redis.Db.StreamPendingAsync(queue, "g")).PendingMessageCount);
    }

    [Fact]
    public async Task Count_counts_delivered_entries_past_dead_lettered_ones()
    {
        // Row 13: 20 invalid entries then a valid one; --count 5 delivers the valid one.
        var queue = SharedRedis.Name("q-count");
        for (var i = 0; i < 20; i++)
        {
            await redis.Db.StreamAddAsync(queue, "message", "not json {");
        }

        await redis.Db.StreamAddAsync(queue, "message", "{\"ok\": true}");
        var (code, stdout, stderr) = await CliRunner.RunAsync("queue", "consume", queue, "-g", "g", "-c", "c", "--count", "5", "--ack", "--redis", redis.Endpoint);
        Assert.True(code == 0, stderr);
        using var line = JsonDocument.Parse(stdout.Trim());
        Assert.True(line.RootElement.GetProperty("message").GetProperty("ok").GetBoolean());
        Assert.Equal(20, await redis.Db.StreamLengthAsync("{" + queue + "}:dead"));
        Assert.Contains("delivered 1, acknowledged 1", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_string_is_dead_lettered_with_its_bytes_not_changed()
    {
        // Row 14.
        var queue = SharedRedis.Name("q-utf8");
        byte[] raw = [(byte)'"', (byte)'a', 0xFF, 0xFE, (byte)'b', (byte)'"'];
        await redis.Db.StreamAddAsync(queue, "message", raw);
        var (code, stdout, stderr) = await CliRunner.RunAsync("queue", "consume", queue, "-g", "g", "-c", "c", "--count", "1", "--ack", "--redis", redis.Endpoint);
        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stdout);
        var dead = Assert.Single(await redis.Db.StreamRangeAsync("{" + queue + "}:dead"));
        Assert.Equal(raw, (byte[]?)dead["message"]);
    }

    [Fact]
    public async Task Read_first_then_ack_with_queue_ack()
    {
        var queue = SharedRedis.Name("q-ack");
        for (var i = 0; i < 3; i++)
        {
            await redis.Db.StreamAddAsync(queue, "message", $"{{\"n\": {i}}}");
        }

        var (code, stdout, stderr) = await CliRunner.RunAsync("queue", "consume", queue, "-g", "g", "-c", "c", "--count", "3", "--redis", redis.Endpoint);
        Assert.True(code == 0, stderr);
        var ids = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => { using var d = JsonDocument.Parse(l); return d.RootElement.GetProperty("id").GetString()!; }).ToArray();
        Assert.Equal(3, ids.Length);
        Assert.Equal(3, (await redis.Db.StreamPendingAsync(queue, "g")).PendingMessageCount);

        (code, _, stderr) = await CliRunner.RunAsync(["queue", "ack", queue, "-g", "g", .. ids, "--redis", redis.Endpoint]);
        Assert.True(code == 0, stderr);
        Assert.Equal(0, (await redis.Db.StreamPendingAsync(queue, "g")).PendingMessageCount);
        (code, _, stderr) = await CliRunner.RunAsync("queue", "ack", queue, "-g", "g", ids[0], "--redis", redis.Endpoint);
        Assert.Equal(1, code);
        Assert.Contains("not pending", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Produce_reads_a_large_message_from_a_file_or_standard_input()
    {
        // Row 17: 20 MB does not fit a command line.
        var queue = SharedRedis.Name("q-large");
        var message = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { doc = new string('d', 20 * 1024 * 1024) }));
        var file = Path.Combine(Directory.CreateTempSubdirectory("redisflow-cli-msg-").FullName, "message.json");
        await File.WriteAllBytesAsync(file, message, Ct);
        // 20 MB through a loaded test machine can take longer than the default 5 s operation timeout.
        var slow = new Dictionary<string, string> { ["Redis__OperationTimeout"] = "00:01:00" };
        var (code, _, stderr) = await CliRunner.RunAsync(slow, "queue", "produce", queue, "--file", file, "--redis", redis.Endpoint);
        Assert.True(code == 0, stderr);
        (code, _, stderr) = await CliRunner.RunWithInputAsync(slow, message, "queue", "produce", queue, "-", "--redis", redis.Endpoint);
        Assert.True(code == 0, stderr);
        var entries = await redis.Db.StreamRangeAsync(queue);
        Assert.Equal(2, entries.Length);
        Assert.All(entries, e => Assert.Equal(message.Length, ((byte[])e["message"]!).Length));
    }
}
