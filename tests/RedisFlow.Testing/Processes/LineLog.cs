using System.Text;

namespace RedisFlow.Testing.Processes;

/// <summary>The lines one output stream of a child wrote, safe to read while the child still writes.</summary>
internal sealed class LineLog(int keepTail)
{
    private readonly List<string> _lines = [];
    private long _chars;

    /// <summary>The lines so far, oldest first.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The lines so far as text, each ended by a newline.</summary>
    public string Text
    {
        get
        {
            var text = new StringBuilder();
            lock (_lines)
            {
                foreach (var line in _lines)
                {
                    text.AppendLine(line);
                }
            }

            return text.ToString();
        }
    }

    /// <summary>Adds a line; past the tail limit, the oldest lines go.</summary>
    public void Add(string? line)
    {
        if (line is null)
        {
            return; // the end of the stream
        }

        lock (_lines)
        {
            _lines.Add(line);
            _chars += line.Length + 1;
            while (keepTail > 0 && _chars > keepTail && _lines.Count > 1)
            {
                _chars -= _lines[0].Length + 1;
                _lines.RemoveAt(0);
            }
        }
    }
}
