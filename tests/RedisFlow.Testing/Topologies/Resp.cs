namespace RedisFlow.Testing.Topologies;

/// <summary>Reads fields out of raw RESP replies (<see cref="Embedded.RedisServerProcess.SendRawAsync"/>) without a client library.</summary>
public static class Resp
{
    /// <summary>The <c>name:value</c> field of an INFO-style text reply, or null.</summary>
    public static string? InfoField(string reply, string name)
    {
        ArgumentNullException.ThrowIfNull(reply);
        foreach (var line in reply.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.StartsWith(name + ":", StringComparison.Ordinal))
            {
                return trimmed[(name.Length + 1)..];
            }
        }

        return null;
    }

    /// <summary>In a flat array of bulk strings (name, value, name, value...), the value after <paramref name="name"/>, or null.</summary>
    public static string? PairValue(string reply, string name)
    {
        var items = BulkStrings(reply);
        for (var i = 0; i + 1 < items.Count; i++)
        {
            if (items[i] == name)
            {
                return items[i + 1];
            }
        }

        return null;
    }

    /// <summary>Every bulk string of a reply, in order (nesting ignored).</summary>
    public static List<string> BulkStrings(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var lines = reply.Split("\r\n");
        var result = new List<string>();
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (lines[i].StartsWith('$') && lines[i] != "$-1")
            {
                result.Add(lines[i + 1]);
                i++;
            }
        }

        return result;
    }
}
