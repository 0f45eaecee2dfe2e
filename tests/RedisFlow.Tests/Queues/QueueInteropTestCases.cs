using System.Text.Json;
using RedisFlow.Queues;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Queues;

/// <summary>Wire compatibility with RAGFlow's Python producers and consumers, checked with plain RESP commands.</summary>
public abstract class QueueInteropTestCases(IRedisTopology topology) : QueueTopologyTestBase(topology)
{
    // Exactly what Python's json.dumps writes for {"id": "t1", "doc_id": "d1", "name": "文档", "score": float("nan")}.
    private const string PythonJson = "{\"id\": \"t1\", \"doc_id\": \"d1\", \"name\": \"\\u6587\\u6863\", \"score\": NaN}";

    [Fact]
    public async Task Entry_written_by_plain_XADD_in_python_format_is_consumed()
    {
        var queue = Key();
        var raw = await RawAsync();
        var added = await raw.ExecuteAsync("XADD", (StackExchange.Redis.RedisKey)queue, "*", "message", PythonJson);
        Assert.Matches(@"^\d+-\d+$", (string?)added);

        var msg = await Db.QueueConsumerAsync(queue, "rag_flow_svr_task_broker", "task_executor_0", TimeSpan.Zero, ct: Ct);

        Assert.NotNull(msg);
        var message = msg.GetMessage();
        Assert.Equal("t1", message.GetProperty("id").GetString());
        Assert.Equal("d1", message.GetProperty("doc_id").GetString());
        Assert.Equal("文档", message.GetProperty("name").GetString());
        Assert.True(double.IsNaN(message.GetProperty("score").Deserialize<double>(RedisFlowJson.Options)));
        Assert.True(await msg.AckAsync(Ct));
    }

    [Fact]
    public async Task Entry_from_QueueProduct_read_by_plain_XREADGROUP_has_one_field_message_holding_valid_json()
    {
        var queue = Key();
        Assert.True(await Db.QueueProductAsync(queue, new { id = "t1", name = "文档", pages = new[] { 1, 2 } }, Ct));

        var raw = await RawAsync();
        await raw.ExecuteAsync("XGROUP", "CREATE", (StackExchange.Redis.RedisKey)queue, "g", "0");
        var reply = await raw.ExecuteAsync("XREADGROUP", "GROUP", "g", "c", "COUNT", "10", "STREAMS", (StackExchange.Redis.RedisKey)queue, ">");

        // [[stream, [[id, [field, value, ...]]]]]
        var stream = Assert.Single((StackExchange.Redis.RedisResult[])reply!);
        var parts = (StackExchange.Redis.RedisResult[])stream!;
        Assert.Equal(queue, (string?)parts[0]);
        var entry = (StackExchange.Redis.RedisResult[])Assert.Single((StackExchange.Redis.RedisResult[])parts[1]!)!;
        var fields = (string[])entry[1]!;
        Assert.Equal(2, fields.Length); // exactly one field
        Assert.Equal("message", fields[0]);
        using var doc = JsonDocument.Parse(fields[1]);
        Assert.Equal("t1", doc.RootElement.GetProperty("id").GetString());
        Assert.Equal("文档", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("pages").GetArrayLength());
    }
}

public sealed class StandaloneQueueInteropTests(RedisFixture fixture) : QueueInteropTestCases(fixture);

public sealed class ClusterQueueInteropTests(ClusterFixture fixture) : QueueInteropTestCases(fixture);
