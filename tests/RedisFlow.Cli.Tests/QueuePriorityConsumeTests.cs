using System.Text.Json;

namespace RedisFlow.Cli.Tests;

/// <summary><c>queue consume</c> over several queues in priority order, as RAGFlow's executor reads te.1.common before te.0.common.</summary>
public sealed class QueuePriorityConsumeTests(RedisFixture fixture)
{
    private readonly SharedRedis redis = new(fixture);

    [Fact]
    public async Task Several_queues_are_read_highest_first_and_each_line_keeps_queue_id_and_message()
    {
        var high = SharedRedis.Name("q-high");
        var low = SharedRedis.Name("q-low");
        // The low entries are older: order must come from the queue list, not from the ids.
        for (var n = 0; n < 3; n++)
        {
            await redis.Db.StreamAddAsync(low, "message", JsonSerializer.Serialize(new { n }));
        }

        for (var n = 10; n < 13; n++)
        {
            await redis.Db.StreamAddAsync(high, "message", JsonSerializer.Serialize(new { n }));
        }

        var (code, stdout, stderr) = await CliRunner.RunAsync("queue", "consume", high, low, "-g", "g", "-c", "c", "--count", "4", "--redis", redis.Endpoint);
        Assert.True(code == 0, stderr);
        var lines = Parse(stdout);
        Assert.Equal([(high, 10), (high, 11), (high, 12), (low, 0)], lines.Select(l => (l.Queue, l.N)));
        Assert.All(lines, l => Assert.Matches(@"^\d+-\d+$", l.Id));

        // --pending replays this consumer's unacknowledged entries queue by queue in the same order.
        var (code2, pending, stderr2) = await CliRunner.RunAsync("queue", "consume", high, low, "-g", "g", "-c", "c", "--pending", "--count", "10", "--ack", "--redis", redis.Endpoint);
        Assert.True(code2 == 0, stderr2);
        Assert.Equal([(high, 10), (high, 11), (high, 12), (low, 0)], Parse(pending).Select(l => (l.Queue, l.N)));

        var (code3, rest, stderr3) = await CliRunner.RunAsync("queue", "consume", high, low, "-g", "g", "-c", "c", "--count", "10", "--ack", "--redis", redis.Endpoint);
        Assert.True(code3 == 0, stderr3);
        Assert.Equal([(low, 1), (low, 2)], Parse(rest).Select(l => (l.Queue, l.N)));
    }

    [Fact]
    public async Task A_queue_named_twice_is_refused()
    {
        var queue = SharedRedis.Name("q-twice");
        var (code, _, stderr) = await CliRunner.RunAsync("queue", "consume", queue, queue, "-g", "g", "-c", "c", "--redis", redis.Endpoint);
        Assert.NotEqual(0, code);
        Assert.Contains("named twice", stderr, StringComparison.Ordinal);
    }

    private static List<(string Queue, string Id, int N)> Parse(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            var root = doc.RootElement;
            return (root.GetProperty("queue").GetString()!, root.GetProperty("id").GetString()!, root.GetProperty("message").GetProperty("n").GetInt32());
        })];
}
