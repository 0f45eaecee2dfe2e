using System.Text.Json;

namespace RedisFlow.Queues;

/// <summary>
/// Reads JSON written by Python's <c>json.dumps</c>. Its <c>\uXXXX</c> escapes and <c>", "</c> separators are
/// standard JSON, but by default it also writes the bare literals <c>NaN</c>, <c>Infinity</c> and
/// <c>-Infinity</c>, which are not JSON and which <see cref="JsonDocument"/> rejects.
/// </summary>
/// <remarks>
/// Those literals are rewritten, outside strings only, to the quoted forms <c>"NaN"</c>, <c>"Infinity"</c> and
/// <c>"-Infinity"</c>, which System.Text.Json reads into <see cref="double"/> with
/// <see cref="System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals"/> (set in
/// <see cref="RedisFlowJson.Options"/>). Input without them is parsed as is, without a copy.
/// </remarks>
public static class PythonJson
{
    /// <summary>
    /// The one nesting limit of RedisFlow's JSON, for reading and writing alike (<see cref="RedisFlowJson.Options"/>
    /// uses it too): far above anything RAGFlow writes, and low enough that a hostile entry cannot exhaust the stack.
    /// A deeper message is dead-lettered as <c>invalid-json</c> with its bytes kept, never dropped.
    /// </summary>
    public const int MaxDepth = 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Parses Python-written JSON; the returned element owns no pooled memory (safe to keep).</summary>
    /// <exception cref="JsonException">
    /// The text is not JSON, even with the Python literals allowed; it is nested deeper than <see cref="MaxDepth"/>;
    /// or it is not valid UTF-8 (decoding it would replace bytes with U+FFFD and change the data silently).
    /// </exception>
    public static JsonElement Parse(ReadOnlyMemory<byte> utf8)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            throw new JsonException("The message is not valid UTF-8.");
        }

        var text = QuoteNamedLiterals(utf8);
        using var document = JsonDocument.Parse(text, DocumentOptions);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Returns <paramref name="utf8"/> with bare <c>NaN</c>/<c>Infinity</c>/<c>-Infinity</c> tokens outside
    /// strings quoted, or the input itself when it has none.
    /// </summary>
    public static ReadOnlyMemory<byte> QuoteNamedLiterals(ReadOnlyMemory<byte> utf8)
    {
        var span = utf8.Span;
        List<(int Start, int Length)>? hits = null;
        var inString = false;
        for (var i = 0; i < span.Length; i++)
        {
            var b = span[i];
            if (inString)
            {
                if (b == (byte)'\\')
                {
                    i++; // the escaped character cannot end the string
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }

                continue;
            }

            if (b == (byte)'"')
            {
                inString = true;
                continue;
            }

            var length = LiteralAt(span, i);
            if (length > 0)
            {
                (hits ??= []).Add((i, length));
                i += length - 1;
            }
        }

        if (hits is null)
        {
            return utf8;
        }

        var result = new byte[span.Length + (2 * hits.Count)];
        var read = 0;
        var written = 0;
        foreach (var (start, length) in hits)
        {
            span[read..start].CopyTo(result.AsSpan(written));
            written += start - read;
            result[written++] = (byte)'"';
            span.Slice(start, length).CopyTo(result.AsSpan(written));
            written += length;
            result[written++] = (byte)'"';
            read = start + length;
        }

        span[read..].CopyTo(result.AsSpan(written));
        return result;
    }

    private static int LiteralAt(ReadOnlySpan<byte> span, int index)
    {
        // A literal only counts as a whole token: "NaNx" or "xNaN" are left for the parser to reject.
        if (index > 0 && IsTokenChar(span[index - 1]))
        {
            return 0;
        }

        ReadOnlySpan<byte> rest = span[index..];
        int length;
        if (rest.StartsWith("NaN"u8))
        {
            length = 3;
        }
        else if (rest.StartsWith("Infinity"u8))
        {
            length = 8;
        }
        else if (rest.StartsWith("-Infinity"u8))
        {
            length = 9;
        }
        else
        {
            return 0;
        }

        return index + length < span.Length && IsTokenChar(span[index + length]) ? 0 : length;
    }

    private static bool IsTokenChar(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_' or (byte)'.' or (byte)'+' or (byte)'-';
}
