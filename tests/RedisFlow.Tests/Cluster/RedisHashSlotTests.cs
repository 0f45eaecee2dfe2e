using RedisFlow.Cluster;
using RedisFlow.Locking;

namespace RedisFlow.Tests.Cluster;

/// <summary>
/// The one slot implementation names keys exactly as the lock (decimal tags) and the file cache (base-36 tags) did
/// before they shared it: running daemons, existing caches and held locks depend on those names.
/// </summary>
public sealed class RedisHashSlotTests
{
    [Theory]
    [InlineData("odd}key", 15256, "{7386}:fence:odd}key")]
    [InlineData("kb/a}b.pdf", 14098, "{41173}:fence:kb/a}b.pdf")]
    [InlineData("}", 12090, "{5305}:fence:}")]
    public void A_lock_key_without_a_usable_tag_gets_the_first_decimal_tag_of_its_slot(string key, int slot, string fence)
    {
        Assert.Equal(slot, RedisHashSlot.Of(key));
        Assert.Equal(fence, LockKeys.FenceKeyFor(key));
        Assert.Equal(slot, RedisHashSlot.Of(fence));
    }

    [Theory]
    [InlineData("odd}key", "{nkd}:claim:odd}key")]
    [InlineData("kb/a}b.pdf", "{7x4}:claim:kb/a}b.pdf")]
    [InlineData("}", "{exv}:claim:}")]
    public void A_cache_key_without_a_usable_tag_gets_the_first_base36_tag_of_its_slot(string key, string claim)
    {
        Assert.Equal(claim, RedisHashSlot.SameSlotKey(key, "claim", HashTagFormat.Base36));
        Assert.Equal(RedisHashSlot.Of(key), RedisHashSlot.Of(claim));
    }

    [Theory]
    [InlineData("kb/a.pdf", "{kb/a.pdf}:claim")]
    [InlineData("{tenant}:lock", "{tenant}:lock:claim")]
    [InlineData("kb/}{x}.pdf", "kb/}{x}.pdf:claim")]
    public void Keys_with_a_tag_or_without_a_brace_are_suffixed_or_wrapped_in_either_format(string key, string derived)
    {
        Assert.Equal(derived, RedisHashSlot.SameSlotKey(key, "claim", HashTagFormat.Base36));
        Assert.Equal(derived, RedisHashSlot.SameSlotKey(key, "claim", HashTagFormat.Decimal));
    }

    [Fact]
    public void A_found_tag_lands_in_the_slot_it_was_searched_for()
    {
        foreach (var slot in new[] { 0, 1, 8191, RedisHashSlot.SlotCount - 1 })
        {
            Assert.Equal(slot, RedisHashSlot.Of(RedisHashSlot.FindTag(slot, HashTagFormat.Decimal)));
            Assert.Equal(slot, RedisHashSlot.Of(RedisHashSlot.FindTag(slot, HashTagFormat.Base36)));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => RedisHashSlot.FindTag(RedisHashSlot.SlotCount, HashTagFormat.Decimal));
        Assert.Throws<ArgumentOutOfRangeException>(() => RedisHashSlot.FindTag(0, (HashTagFormat)7));
    }
}
