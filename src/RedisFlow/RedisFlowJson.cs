using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RedisFlow;

/// <summary>The JSON settings RedisFlow writes with: UTF-8, non-ASCII kept as is, NaN/Infinity allowed (Python's json writes them).</summary>
public static class RedisFlowJson
{
    /// <summary>Shared, read-only serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals | JsonNumberHandling.AllowReadingFromString,
            // Whatever the queue can read, it can write back (the default of 64 refused valid messages).
            MaxDepth = Queues.PythonJson.MaxDepth,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
