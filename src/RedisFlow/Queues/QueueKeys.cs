namespace RedisFlow.Queues;

/// <summary>
/// Names of the keys that belong to one queue. A queue's keys must share a Redis Cluster hash slot so one Lua
/// script may touch them together (dead-lettering, re-driving), while the queue name itself stays exactly what
/// RAGFlow uses (<c>te.0.common</c>).
/// </summary>
/// <remarks>
/// Redis hashes only the part between the first <c>{</c> and the next <c>}</c> when that part is not empty.
/// For a name without braces, <c>{te.0.common}:dead</c> therefore hashes <c>te.0.common</c>, exactly what the
/// plain name <c>te.0.common</c> hashes: same slot, and the queue keeps its name. For a name that already has a
/// hash tag (<c>{tenant}.q</c>), the suffix form <c>{tenant}.q:dead</c> keeps that tag.
/// </remarks>
public static class QueueKeys
{
    /// <summary>Suffix of the dead-letter stream.</summary>
    public const string DeadLetterSuffix = ":dead";

    /// <summary>The dead-letter stream of <paramref name="queue"/>, in the same hash slot.</summary>
    /// <exception cref="ArgumentException">The name has a <c>}</c> but no usable hash tag, so no name can share its slot.</exception>
    public static string DeadLetter(string queue)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        if (HasHashTag(queue))
        {
            return queue + DeadLetterSuffix;
        }

        if (UntaggableProblem(queue) is { } problem)
        {
            throw new ArgumentException(problem, nameof(queue));
        }

        return "{" + queue + "}" + DeadLetterSuffix;
    }

    /// <summary>Why no dead-letter key can share <paramref name="queue"/>'s slot, or null when one can.</summary>
    internal static string? UntaggableProblem(string queue) =>
        // "{q}x" forms would hash only up to the name's own '}' and land in another slot.
        !HasHashTag(queue) && queue.Contains('}', StringComparison.Ordinal)
            ? $"Queue name '{queue}' contains '}}' without a hash tag; no dead-letter key can share its hash slot. Rename the queue or give it a hash tag such as '{{name}}'."
            : null;

    /// <summary>Whether Redis would hash only a <c>{tag}</c> part of <paramref name="key"/>.</summary>
    public static bool HasHashTag(string key) => Cluster.RedisHashSlot.HasHashTag(key);
}
