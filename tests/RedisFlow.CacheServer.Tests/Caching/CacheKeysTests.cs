using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.CacheServer.Tests.Infrastructure;

namespace RedisFlow.CacheServer.Tests.Caching;

/// <summary>The claim and temporary keys share the cached file's hash slot, and the file's key is RAGFlow's, unchanged.</summary>
public sealed class CacheKeysTests(ClusterModeRedisFixture cluster) : IClassFixture<ClusterModeRedisFixture>
{
    public static TheoryData<string> Keys => new()
    {
        "7d0f5a6ca7224f528578f700777fdcc2/report.pdf",
        "kb/name with spaces (1).docx",
        "kb/{tagged}.pdf",
        "kb/{}.pdf",
        "kb/a}b.pdf",
        "kb/}{x}.pdf",
        "kb/{unclosed.pdf",
        "桶/文件.pdf",
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Derived_keys_have_the_slot_of_the_file_key(string key)
    {
        // The server's own CLUSTER KEYSLOT is the independent reference for ours.
        var slot = await cluster.KeySlotAsync(key);

        Assert.Equal(slot, CacheKeys.HashSlot(key));
        Assert.Equal(slot, await cluster.KeySlotAsync(CacheKeys.ClaimKey(key)));
        Assert.Equal(slot, await cluster.KeySlotAsync(CacheKeys.TempKey(key, "0123abcd")));
        Assert.NotEqual(key, CacheKeys.ClaimKey(key));
        Assert.NotEqual(CacheKeys.ClaimKey(key), CacheKeys.TempKey(key, "0123abcd"));
    }

    [Fact]
    public void The_file_key_is_exactly_bucket_slash_location()
    {
        Assert.Equal("kb1/a.pdf", new OngoingDocument("kb1", "a.pdf").CacheKey);
        Assert.Equal("{kb1/a.pdf}:claim", CacheKeys.ClaimKey("kb1/a.pdf"));
    }

    [Fact]
    public void Claim_keys_of_different_files_differ_even_when_a_tag_is_searched()
    {
        Assert.NotEqual(CacheKeys.ClaimKey("kb/a}b.pdf"), CacheKeys.ClaimKey("kb/a}c.pdf"));
    }
}
