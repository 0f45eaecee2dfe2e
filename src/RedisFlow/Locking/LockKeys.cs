using System.Collections.Concurrent;
using RedisFlow.Cluster;
using StackExchange.Redis;

namespace RedisFlow.Locking;

/// <summary>
/// The names a lock uses. The lock key is exactly the seed's <c>lock_key</c> (so Python holders and C# holders
/// exclude each other); the fencing counter and the waiter registry live in the same hash slot so one script can
/// touch them all on Cluster.
/// </summary>
internal sealed class LockKeys
{
    /// <summary>Prefix of the release channel; the full channel is this plus the lock key.</summary>
    public const string ReleaseChannelPrefix = "redisflow:lock-released:";

    /// <summary>How many lock keys' names are remembered: far more than the fixed lock names an application uses.</summary>
    private const int RememberedKeys = 4_096;

    private static readonly ConcurrentDictionary<string, LockKeys> Remembered = new(StringComparer.Ordinal);

    // Counted here: ConcurrentDictionary.Count takes every bucket's lock, too dear for each lock past the bound.
    private static int _rememberedCount;

    /// <summary>
    /// The names for <paramref name="lockKey"/>, shared by every lock on that key: a lock is usually created per use,
    /// on one of a few fixed keys, and its names (six strings, a key array) were most of its allocation.
    /// </summary>
    public static LockKeys For(string lockKey)
    {
        if (Remembered.TryGetValue(lockKey, out var keys))
        {
            return keys;
        }

        keys = new LockKeys(lockKey);
        // Past the bound (keys made per document, say) new names are not remembered: memory stays bounded.
        if (Volatile.Read(ref _rememberedCount) >= RememberedKeys)
        {
            return keys;
        }

        if (Remembered.TryAdd(lockKey, keys))
        {
            Interlocked.Increment(ref _rememberedCount);
            return keys;
        }

        return Remembered.TryGetValue(lockKey, out var added) ? added : keys;
    }

    public LockKeys(string lockKey)
    {
        LockKey = lockKey;
        FenceKey = FenceKeyFor(lockKey);
        WaitersKey = SlotKeyFor(lockKey, "waiters");
        WaitDeadlinesKey = SlotKeyFor(lockKey, "waiting");
        ListeningKey = SlotKeyFor(lockKey, "listening");
        ReleaseChannel = ReleaseChannelPrefix + lockKey;
        Keys = [LockKey, FenceKey, WaitersKey, WaitDeadlinesKey, ListeningKey];
    }

    public string LockKey { get; }

    public string FenceKey { get; }

    /// <summary>Sorted set of the registered waiters' tokens by arrival (server microseconds): who gets a free lock next.</summary>
    public string WaitersKey { get; }

    /// <summary>Sorted set of the registered waiters' tokens by registration deadline (ms): stale registrations are dropped.</summary>
    public string WaitDeadlinesKey { get; }

    /// <summary>A short-lived key that exists while some process has just started listening on the release channel.</summary>
    public string ListeningKey { get; }

    /// <summary>Pub/sub channel the release script publishes on; channels are not keys, so it is passed in ARGV.</summary>
    public string ReleaseChannel { get; }

    /// <summary>KEYS[] of the scripts: the lock key, the fencing counter, the waiters, their deadlines, the listening marker.</summary>
    public RedisKey[] Keys { get; }

    /// <summary>
    /// The fencing counter's key, always in the lock key's slot: <c>{lockKey}:fence</c> for a plain key (the slot of
    /// <c>{k}…</c> is the slot of <c>k</c>), <c>lockKey:fence</c> when the key already has a hash tag (the tag stays
    /// first), and for the odd key that has a '}' but no tag, a tag of digits chosen to hash to the same slot.
    /// </summary>
    public static string FenceKeyFor(string lockKey) => SlotKeyFor(lockKey, "fence");

    /// <summary>A key named after <paramref name="lockKey"/> and <paramref name="suffix"/> in the lock key's slot (as <see cref="FenceKeyFor"/>).</summary>
    public static string SlotKeyFor(string lockKey, string suffix) => RedisHashSlot.SameSlotKey(lockKey, suffix, HashTagFormat.Decimal);
}
