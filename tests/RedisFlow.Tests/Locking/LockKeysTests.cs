using System.Globalization;
using RedisFlow.Cluster;
using RedisFlow.Embedded;
using RedisFlow.Locking;

namespace RedisFlow.Tests.Locking;

/// <summary>The fencing counter shares the lock key's hash slot, as a real cluster-enabled redis-server computes it.</summary>
public sealed class LockKeysTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Locks_on_one_key_share_its_names_and_each_key_keeps_its_own()
    {
        var first = LockKeys.For("shared_lock");
        Assert.Same(first, LockKeys.For("shared_lock"));
        Assert.Equal(new LockKeys("shared_lock").Keys, first.Keys);
        var other = LockKeys.For("other_lock");
        Assert.NotSame(first, other);
        Assert.Equal("other_lock", other.LockKey);
        Assert.Equal(LockKeys.FenceKeyFor("other_lock"), other.FenceKey);
    }

    [Fact]
    public async Task Fence_keys_are_in_their_lock_keys_slot_according_to_the_server()
    {
        // CLUSTER KEYSLOT answers on a cluster-enabled node even before any slot is assigned.
        await using var node = await RedisServerProcess.StartAsync(["--cluster-enabled", "yes"], Ct);
        string[] lockKeys = ["resource_lock", "clean_task_executor", "{tenant-1}:lock", "prefix:{tag}:suffix", "odd}key", "{}empty-tag", "a{b", "ключ-ロック"];
        foreach (var lockKey in lockKeys)
        {
            var fence = LockKeys.FenceKeyFor(lockKey);
            Assert.NotEqual(lockKey, fence);
            var slot = await KeySlotAsync(node, lockKey);
            Assert.Equal(slot, await KeySlotAsync(node, fence));
            Assert.Equal(slot, RedisHashSlot.Of(lockKey));
        }
    }

    [Fact]
    public async Task Waiter_registry_keys_are_in_their_lock_keys_slot_according_to_the_server()
    {
        await using var node = await RedisServerProcess.StartAsync(["--cluster-enabled", "yes"], Ct);
        foreach (var lockKey in new[] { "resource_lock", "{tenant-1}:lock", "odd}key", "a{b" })
        {
            var keys = new LockKeys(lockKey);
            var slot = await KeySlotAsync(node, lockKey);
            Assert.Equal(5, keys.Keys.Length);
            Assert.Equal(5, keys.Keys.Distinct().Count());
            foreach (var key in keys.Keys)
            {
                Assert.Equal(slot, await KeySlotAsync(node, key!));
            }
        }

        Assert.Equal("{resource_lock}:waiters", new LockKeys("resource_lock").WaitersKey);
    }

    [Fact]
    public void A_plain_key_uses_the_documented_fence_name()
    {
        Assert.Equal("{resource_lock}:fence", LockKeys.FenceKeyFor("resource_lock"));
        Assert.Equal("{tenant-1}:lock:fence", LockKeys.FenceKeyFor("{tenant-1}:lock"));
    }

    [Fact]
    public void Decimal_tags_below_the_search_bound_reach_every_slot()
    {
        // LockKeys searches a decimal tag for keys with a '}' but no tag; the search must find every slot.
        var covered = new bool[RedisHashSlot.SlotCount];
        var left = covered.Length;
        var i = 0;
        for (; i < 1_000_000 && left > 0; i++)
        {
            var slot = RedisHashSlot.Of(i.ToString(CultureInfo.InvariantCulture));
            if (!covered[slot])
            {
                covered[slot] = true;
                left--;
            }
        }

        Assert.Equal(0, left);
    }

    private static async Task<int> KeySlotAsync(RedisServerProcess node, string key)
    {
        var reply = await node.SendRawAsync(Ct, "CLUSTER", "KEYSLOT", key); // ":1234\r\n"
        Assert.StartsWith(":", reply, StringComparison.Ordinal);
        return int.Parse(reply.AsSpan(1).Trim(), CultureInfo.InvariantCulture);
    }
}
