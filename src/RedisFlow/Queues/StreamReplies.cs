using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>Decodes raw stream replies of commands sent with <c>ExecuteAsync</c>.</summary>
internal static class StreamReplies
{
    /// <summary>
    /// An XREAD/XREADGROUP reply for one stream: nil on timeout, else <c>[[stream, [[id, [f, v, ...]], ...]]]</c>
    /// (RESP2) or a map from stream to entries (RESP3). An entry deleted while pending has a nil field list.
    /// </summary>
    public static StreamEntry[] ParseReadReply(RedisResult reply)
    {
        if (reply.IsNull)
        {
            return [];
        }

        RedisResult entries;
        if (reply.Resp3Type == ResultType.Map)
        {
            var map = reply.ToDictionary();
            if (map.Count == 0)
            {
                return [];
            }

            entries = map.Values.First();
        }
        else
        {
            var streams = (RedisResult[])reply!;
            if (streams.Length == 0)
            {
                return [];
            }

            entries = ((RedisResult[])streams[0]!)[1];
        }

        return ParseEntries(entries);
    }

    /// <summary>
    /// An XREADGROUP reply over several streams: the entries of each of <paramref name="streams"/>, in that order
    /// (empty for a stream with none, and for all on timeout).
    /// </summary>
    public static StreamEntry[][] ParseReadReply(RedisResult reply, IReadOnlyList<string> streams)
    {
        var result = new StreamEntry[streams.Count][];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = [];
        }

        if (reply.IsNull)
        {
            return result;
        }

        if (reply.Resp3Type == ResultType.Map)
        {
            foreach (var (name, entries) in reply.ToDictionary())
            {
                Place(result, streams, name, entries);
            }

            return result;
        }

        foreach (var stream in (RedisResult[])reply!)
        {
            var pair = (RedisResult[])stream!;
            Place(result, streams, (string)pair[0]!, pair[1]);
        }

        return result;
    }

    private static void Place(StreamEntry[][] result, IReadOnlyList<string> streams, string name, RedisResult entries)
    {
        for (var i = 0; i < streams.Count; i++)
        {
            if (streams[i] == name)
            {
                result[i] = ParseEntries(entries);
                return;
            }
        }
    }

    /// <summary>A list of <c>[id, [f, v, ...]]</c> pairs (XRANGE, XCLAIM, or one stream of XREAD).</summary>
    public static StreamEntry[] ParseEntries(RedisResult entries)
    {
        if (entries.IsNull)
        {
            return [];
        }

        var items = (RedisResult[])entries!;
        var result = new StreamEntry[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var pair = (RedisResult[])items[i]!;
            var id = (RedisValue)pair[0];
            if (pair.Length < 2 || pair[1].IsNull)
            {
                result[i] = new StreamEntry(id, null!);
                continue;
            }

            var flat = (RedisValue[])pair[1]!;
            var fields = new NameValueEntry[flat.Length / 2];
            for (var f = 0; f < fields.Length; f++)
            {
                fields[f] = new NameValueEntry(flat[2 * f], flat[(2 * f) + 1]);
            }

            result[i] = new StreamEntry(id, fields);
        }

        return result;
    }
}
