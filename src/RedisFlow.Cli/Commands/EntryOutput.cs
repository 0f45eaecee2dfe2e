using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using RedisFlow.Queues;

namespace RedisFlow.Cli.Commands;

/// <summary>
/// Writes queue entries to standard output as JSON lines, flushed one by one, and reports a write error.
/// <see cref="Console.Out"/> and <see cref="Console.OpenStandardOutput()"/> cannot be used: on Unix they ignore a
/// closed pipe (EPIPE) silently, and a command
/// that acknowledges what it printed must know the line did not go out.
/// </summary>
internal sealed class EntryOutput : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // The wrapper object adds a level to the message's own depth, which PythonJson.MaxDepth bounds.
        MaxDepth = PythonJson.MaxDepth + 2,
    };

    // File descriptor 1 itself, not owned (the runtime's console keeps it): a write to a closed pipe throws here.
    private readonly FileStream _stdout = new(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>Writes <c>{"queue":…,"id":…,"message":…}</c> and a newline, then flushes; false when the write failed.</summary>
    public async Task<bool> TryWriteLineAsync(string queue, string id, JsonElement message, CancellationToken ct)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("queue", queue);
            writer.WriteString("id", id);
            writer.WritePropertyName("message");
            message.WriteTo(writer);
            writer.WriteEndObject();
        }

        _buffer.Write("\n"u8);
        try
        {
            await _stdout.WriteAsync(_buffer.WrittenMemory, ct).ConfigureAwait(false);
            await _stdout.FlushAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _stdout.DisposeAsync();
}
