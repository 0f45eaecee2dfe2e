namespace RedisFlow.Queues;

/// <summary>The seed's consume over several queues in priority order, as RAGFlow's executor loops over its queues.</summary>
internal sealed partial class StreamQueue
{
    /// <summary>
    /// A new entry from the highest queue of <paramref name="queueNames"/> that has one (see
    /// <see cref="RedisDb.QueueConsumerFirstAsync"/>); while all are empty, waits up to <paramref name="block"/> on all
    /// of them at once.
    /// </summary>
    public async Task<IReadOnlyList<RedisMsg>> ConsumeFirstAsync(IReadOnlyList<string> queueNames, string groupName, string consumerName, TimeSpan block,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(queueNames);
        ArgumentOutOfRangeException.ThrowIfZero(queueNames.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(block, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(block, BlockingStreamReader.MaxBlock);
        foreach (var queue in queueNames)
        {
            // RAGFlow's collect(): each queue in turn, the first entry found wins.
            if (await ConsumeAsync(queue, groupName, consumerName, TimeSpan.Zero, ">", ct).ConfigureAwait(false) is { } message)
            {
                return [message];
            }
        }

        if (block == TimeSpan.Zero)
        {
            return [];
        }

        var consumers = queueNames.Select(q => new StreamConsumer(q, groupName, consumerName, this)).ToArray();
        var groups = GroupBySlot(consumers, static c => c.Queue);
        var readers = new List<BlockingStreamReader>(groups.Length);
        try
        {
            foreach (var _ in groups)
            {
                readers.Add(await RentReaderAsync(ct).ConfigureAwait(false));
            }

            // COUNT applies per stream: entries added to two queues in the same instant both come back.
            var reads = await ReadSlotGroupsAsync(groups, [.. readers], 1, block, ct).ConfigureAwait(false);
            var messages = new List<RedisMsg>();
            foreach (var consumer in consumers)
            {
                for (var g = 0; g < groups.Length; g++)
                {
                    var index = Array.IndexOf(groups[g], consumer);
                    if (index >= 0 && reads[g] is { } read && read[index].Length > 0)
                    {
                        messages.AddRange(await ToMessagesAsync(consumer, read[index], null, 1, ct).ConfigureAwait(false));
                    }
                }
            }

            return messages;
        }
        finally
        {
            foreach (var reader in readers)
            {
                await ReturnReaderAsync(reader).ConfigureAwait(false);
            }
        }
    }
}
