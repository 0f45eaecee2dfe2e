using System.Text.Json;

namespace RedisFlow.Benchmarks.Streams;

/// <summary>
/// The body every queue case sends: the shape of a RAGFlow task message, serialized per call by every side so the
/// work is equal. On the stream it is the seed's entry format, one field <c>message</c> holding the JSON.
/// </summary>
public sealed record TaskMessage(string Id, string DocId, int FromPage, int ToPage, long Sent)
{
    public const string Field = "message";

    public static TaskMessage Sample(int i, long sent = 0) => new($"task-{i}", "doc-0123456789abcdef", 0, 12, sent);

    public string ToJson() => JsonSerializer.Serialize(this);

    public static TaskMessage? FromJson(string json) => JsonSerializer.Deserialize<TaskMessage>(json);
}
