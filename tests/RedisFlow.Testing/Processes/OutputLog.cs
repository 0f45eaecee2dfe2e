using System.Text;

namespace RedisFlow.Testing.Processes;

/// <summary>
/// What one output stream of a child wrote, exactly (no newline added or lost: tests compare bytes a command
/// printed), safe to read while the child still writes. Everything is also written, in full, to
/// <paramref name="artifactFile"/> in the run's artifacts folder (swept for secrets after the run).
/// </summary>
internal sealed class OutputLog(int keepTail, string artifactFile)
{
    private readonly StringBuilder _text = new();

    /// <summary>The text so far.</summary>
    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>The lines so far; an unfinished last line only when <paramref name="ended"/> (the stream is closed).</summary>
    public IReadOnlyList<string> Lines(bool ended)
    {
        var lines = Text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        lines.RemoveAt(lines.Count - 1); // after the last '\n': empty, or a line still being written
        if (ended && !Text.EndsWith('\n'))
        {
            lines.Add(Text[(Text.LastIndexOf('\n') + 1)..].TrimEnd('\r'));
        }

        return lines;
    }

    /// <summary>Copies <paramref name="reader"/> into the log until the stream ends (or is closed under it).</summary>
    public async Task PumpAsync(StreamReader reader)
    {
        var buffer = new char[8192];
        var file = new StreamWriter(artifactFile, append: true, Encoding.UTF8);
        await using (file.ConfigureAwait(false))
        {
            try
            {
                int read;
                while ((read = await reader.ReadAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false)) > 0)
                {
                    Append(buffer.AsSpan(0, read));
                    await file.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None).ConfigureAwait(false);
                    await file.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The child is gone and its pipe with it.
            }
        }
    }

    private void Append(ReadOnlySpan<char> chunk)
    {
        lock (_text)
        {
            _text.Append(chunk);
            // Keep the tail only, past the limit: a chatty server must not grow the test process without bound.
            if (keepTail > 0 && _text.Length > keepTail)
            {
                _text.Remove(0, _text.Length - keepTail);
            }
        }
    }
}
