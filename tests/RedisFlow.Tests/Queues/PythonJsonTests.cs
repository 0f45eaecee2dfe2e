using System.Text;
using System.Text.Json;

namespace RedisFlow.Tests.Queues;

/// <summary>Parsing of the JSON RAGFlow's Python producers write (<c>json.dumps</c>: NaN, Infinity, escapes); no server needed.</summary>
public sealed class PythonJsonTests
{
    // Exactly what Python's json.dumps writes for {"id": "t1", "doc_id": "d1", "name": "文档", "score": float("nan")}.
    private const string PythonJsonText = "{\"id\": \"t1\", \"doc_id\": \"d1\", \"name\": \"\\u6587\\u6863\", \"score\": NaN}";

    [Theory]
    [InlineData("{\"a\": NaN}", "{\"a\": \"NaN\"}")]
    [InlineData("{\"a\": Infinity, \"b\": -Infinity}", "{\"a\": \"Infinity\", \"b\": \"-Infinity\"}")]
    [InlineData("[NaN, 1, -Infinity]", "[\"NaN\", 1, \"-Infinity\"]")]
    [InlineData("{\"s\": \"NaN Infinity \\\" NaN\"}", "{\"s\": \"NaN Infinity \\\" NaN\"}")]
    [InlineData("{\"n\": 1.5e3, \"t\": true}", "{\"n\": 1.5e3, \"t\": true}")]
    public void Python_literals_are_quoted_outside_strings_only(string input, string expected)
    {
        var result = RedisFlow.Queues.PythonJson.QuoteNamedLiterals(Encoding.UTF8.GetBytes(input));
        Assert.Equal(expected, Encoding.UTF8.GetString(result.Span));
    }

    [Fact]
    public void Python_json_with_escapes_separators_and_literals_parses()
    {
        var element = RedisFlow.Queues.PythonJson.Parse(Encoding.UTF8.GetBytes(PythonJsonText));
        Assert.Equal("文档", element.GetProperty("name").GetString());
        Assert.Equal("NaN", element.GetProperty("score").GetString());
        Assert.ThrowsAny<JsonException>(() => RedisFlow.Queues.PythonJson.Parse(Encoding.UTF8.GetBytes("{\"a\": NaNa}")));
    }

    [Fact]
    public void Nesting_up_to_MaxDepth_parses_and_one_level_deeper_is_refused_by_the_reader_and_the_serializer_alike()
    {
        const int depth = RedisFlow.Queues.PythonJson.MaxDepth;
        Assert.True(depth >= 1000);
        var deepest = Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth));
        var tooDeep = Encoding.UTF8.GetBytes(new string('[', depth + 1) + new string(']', depth + 1));

        Assert.Equal(JsonValueKind.Array, RedisFlow.Queues.PythonJson.Parse(deepest).ValueKind);
        Assert.ThrowsAny<JsonException>(() => RedisFlow.Queues.PythonJson.Parse(tooDeep));
        Assert.NotNull(JsonSerializer.Deserialize<JsonElement>(deepest, RedisFlowJson.Options).ToString());
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<JsonElement>(tooDeep, RedisFlowJson.Options));
    }
}
