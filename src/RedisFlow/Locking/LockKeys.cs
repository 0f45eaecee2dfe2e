using System.Globalization;
using StackExchange.Redis;

namespace RedisFlow.Locking;

/// <summary>
/// The names a lock uses. The lock key is exactly the seed's <c>lock_key</c> (so Python holders and C# holders
/// exclude each other); the fencing counter lives in the same hash slot so one script can touch both on Cluster.
/// </summary>
internal sealed class LockKeys
{
    /// <summary>Prefix of the release channel; the full channel is this plus the lock key.</summary>
    public const string ReleaseChannelPrefix = "redisflow:lock-released:";

    public LockKeys(string lockKey)
    {
        LockKey = lockKey;
        FenceKey = FenceKeyFor(lockKey);
        ReleaseChannel = ReleaseChannelPrefix + lockKey;
        Keys = [LockKey, FenceKey];
    }

    public string LockKey { get; }

    public string FenceKey { get; }

    /// <summary>Pub/sub channel the release script publishes on; channels are not keys, so it is passed in ARGV.</summary>
    public string ReleaseChannel { get; }

    /// <summary>KEYS[] of the scripts: the lock key, then the fencing counter.</summary>
    public RedisKey[] Keys { get; }

    /// <summary>
    /// The fencing counter's key, always in the lock key's slot: <c>{lockKey}:fence</c> for a plain key (the slot of
    /// <c>{k}…</c> is the slot of <c>k</c>), <c>lockKey:fence</c> when the key already has a hash tag (the tag stays
    /// first), and for the odd key that has a '}' but no tag, a tag of digits chosen to hash to the same slot.
    /// </summary>
    public static string FenceKeyFor(string lockKey)
    {
        if (RedisHashSlot.HasHashTag(lockKey))
        {
            return lockKey + ":fence";
        }

        if (!lockKey.Contains('}', StringComparison.Ordinal))
        {
            return "{" + lockKey + "}:fence";
        }

        // Wrapping would cut the tag at the key's own '}'. Search the first decimal tag with the same slot
        // (deterministic, so every process finds the same name; about 16k CRCs at most on average).
        var slot = RedisHashSlot.Of(lockKey);
        for (var i = 0; i < MaxTagSearch; i++)
        {
            var tag = i.ToString(CultureInfo.InvariantCulture);
            if (RedisHashSlot.Of(tag) == slot)
            {
                return "{" + tag + "}:fence:" + lockKey;
            }
        }

        throw new InvalidOperationException($"No decimal hash tag below {MaxTagSearch} maps to slot {slot}.");
    }

    // Decimal strings below this cover every one of the 16384 slots (checked by a test).
    private const int MaxTagSearch = 1_000_000;
}
