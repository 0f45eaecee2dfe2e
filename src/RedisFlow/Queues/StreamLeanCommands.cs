using RedisFlow.Diagnostics;
using RedisFlow.Transport;
using StackExchange.Redis;

namespace RedisFlow.Queues;

/// <summary>The lean forms (see <see cref="LeanTransport"/>) of the queue's hot calls: XADD, XACK and XREADGROUP without BLOCK.</summary>
internal static class StreamLeanCommands
{
    public static LeanCall<(string Queue, byte[] Json, TraceFields Trace), bool> XAddAdded { get; } = new(WriteXAdd, static (RespReply r, out bool added) =>
    {
        added = r.Kind == RespKind.BulkString;
        return true;
    });

    public static LeanCall<(string Queue, byte[] Json, TraceFields Trace), string?> XAddId { get; } = new(WriteXAdd, static (RespReply r, out string? id) =>
    {
        id = r.AsString();
        return true;
    });

    public static LeanCall<(string Queue, string Group, RedisValue[] Ids), bool> XAck { get; } = new(static (w, s) =>
    {
        w.Begin(3 + s.Ids.Length).Arg("XACK").Arg(s.Queue).Arg(s.Group);
        foreach (var id in s.Ids)
        {
            w.Arg(id);
        }
    }, static (RespReply r, out bool ok) =>
    {
        ok = true;
        return r.Kind == RespKind.Integer;
    });

    public static LeanCall<(string Queue, string Group, string Consumer, string Position, int Count), QueueRead?> XReadGroup { get; } = new(static (w, s) =>
        w.Begin(9).Arg("XREADGROUP").Arg("GROUP").Arg(s.Group).Arg(s.Consumer).Arg("COUNT").Arg(s.Count).Arg("STREAMS").Arg(s.Queue).Arg(s.Position),
        static (RespReply r, out QueueRead? read) =>
        {
            read = null;
            if (r.Kind == RespKind.Null)
            {
                read = new QueueRead([], false, false);
                return true;
            }

            // [[queue, [[id, [field, value, ...] or nil], ...]]]
            if (r.Items is not [{ Items: [_, { Items: { } rows }] }])
            {
                return r.Items is [];
            }

            read = ParseEntries(rows) is { } entries ? new QueueRead(entries, false, false) : null;
            return read is not null;
        });

    /// <summary>
    /// An <c>XREADGROUP</c> reply over <paramref name="streams"/>: the entries of each, in that order (empty for a
    /// stream with none, and for all on timeout); null when the reply has another shape.
    /// </summary>
    public static StreamEntry[][]? ParseReadReply(RespReply reply, IReadOnlyList<string> streams)
    {
        var result = new StreamEntry[streams.Count][];
        Array.Fill(result, []);
        if (reply.Kind == RespKind.Null)
        {
            return result;
        }

        if (reply.Items is not { } perStream)
        {
            return null;
        }

        foreach (var stream in perStream)
        {
            if (stream.Items is not [{ Kind: RespKind.BulkString } name, { Items: { } rows }] || ParseEntries(rows) is not { } entries)
            {
                return null;
            }

            var streamName = name.AsString();
            for (var i = 0; i < streams.Count; i++)
            {
                if (streams[i] == streamName)
                {
                    result[i] = entries;
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>Rows of <c>[id, [field, value, ...]]</c> (an entry deleted while pending has a nil list: no fields); null on another shape.</summary>
    private static StreamEntry[]? ParseEntries(RespReply[] rows)
    {
        var entries = new StreamEntry[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].Items is not [{ Kind: RespKind.BulkString } id, var body])
            {
                return null;
            }

            var fields = body.Items ?? [];
            var values = new NameValueEntry[fields.Length / 2];
            for (var f = 0; f < values.Length; f++)
            {
                values[f] = new NameValueEntry(fields[2 * f].Bulk, fields[(2 * f) + 1].Bulk);
            }

            entries[i] = new StreamEntry(id.Bulk, values);
        }

        return entries;
    }

    // The trace context (empty unless the produce span is sampled) follows message, as in StreamQueue.ProduceAsync.
    private static void WriteXAdd(RespWriter w, (string Queue, byte[] Json, TraceFields Trace) s) =>
        s.Trace.WriteTo(w.Begin(5 + s.Trace.ArgCount).Arg("XADD").Arg(s.Queue).Arg("*").Arg(StreamQueue.MessageField).Arg(s.Json));
}
