using StackExchange.Redis;

namespace RedisFlow.Benchmarks.Streams;

/// <summary>The raw StackExchange.Redis side of the queue scenarios: what a user writes without RedisFlow.</summary>
public static class RawStreams
{
    /// <summary>Deletes the stream and creates <paramref name="group"/> at 0 (MKSTREAM), as the seed's consumer does.</summary>
    public static async Task ResetAsync(IDatabase db, string stream, string group)
    {
        await db.KeyDeleteAsync(stream).ConfigureAwait(false);
        await db.StreamCreateConsumerGroupAsync(stream, group, "0", createStream: true).ConfigureAwait(false);
    }

    /// <summary>Adds <paramref name="count"/> entries in the seed's format, 1,000 pipelined at a time (set-up, not timed).</summary>
    public static async Task FillAsync(IDatabase db, string stream, int count)
    {
        const int Batch = 1_000;
        for (var done = 0; done < count; done += Batch)
        {
            var n = Math.Min(Batch, count - done);
            var adds = new Task[n];
            for (var i = 0; i < n; i++)
            {
                adds[i] = db.StreamAddAsync(stream, TaskMessage.Field, TaskMessage.Sample(done + i).ToJson());
            }

            await Task.WhenAll(adds).ConfigureAwait(false);
        }
    }

    /// <summary>One XADD of a freshly serialized message.</summary>
    public static Task<RedisValue> AddAsync(IDatabase db, string stream, int i) =>
        db.StreamAddAsync(stream, TaskMessage.Field, TaskMessage.Sample(i).ToJson());

    /// <summary>
    /// <paramref name="consumers"/> loops, each reading one entry (XREADGROUP COUNT 1), decoding it and acking it
    /// (XACK), until the stream has nothing new. Returns the entries handled.
    /// </summary>
    public static async Task<int> ConsumeOneByOneAsync(IDatabase db, string stream, string group, int consumers)
    {
        var handled = 0;
        var loops = Enumerable.Range(0, consumers).Select(c => Task.Run(async () =>
        {
            var name = $"raw-{c}";
            while (true)
            {
                var entries = await db.StreamReadGroupAsync(stream, group, name, ">", count: 1).ConfigureAwait(false);
                if (entries.Length == 0)
                {
                    return;
                }

                _ = TaskMessage.FromJson(entries[0][TaskMessage.Field]!);
                await db.StreamAcknowledgeAsync(stream, group, entries[0].Id).ConfigureAwait(false);
                Interlocked.Increment(ref handled);
            }
        })).ToArray();
        await Task.WhenAll(loops).ConfigureAwait(false);
        return handled;
    }

    /// <summary>One loop reading <paramref name="batch"/> entries at a time and acking each batch with one XACK.</summary>
    public static async Task<int> ConsumeBatchedAsync(IDatabase db, string stream, string group, int batch)
    {
        var handled = 0;
        while (true)
        {
            var entries = await db.StreamReadGroupAsync(stream, group, "raw-batch", ">", count: batch).ConfigureAwait(false);
            if (entries.Length == 0)
            {
                return handled;
            }

            var ids = new RedisValue[entries.Length];
            for (var i = 0; i < entries.Length; i++)
            {
                _ = TaskMessage.FromJson(entries[i][TaskMessage.Field]!);
                ids[i] = entries[i].Id;
            }

            await db.StreamAcknowledgeAsync(stream, group, ids).ConfigureAwait(false);
            handled += entries.Length;
        }
    }

    /// <summary>Throws when entries are still pending: a consume run must leave every entry acked.</summary>
    public static async Task RequireAllAckedAsync(IDatabase db, string stream, string group, int expected, int handled)
    {
        var pending = await db.StreamPendingAsync(stream, group).ConfigureAwait(false);
        if (handled != expected || pending.PendingMessageCount != 0)
        {
            throw new InvalidOperationException($"Consume run on {stream} handled {handled} of {expected} entries and left {pending.PendingMessageCount} pending.");
        }
    }
}
