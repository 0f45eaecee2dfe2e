using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Kv;

/// <summary>Set capability cases, run on every topology by the one-line subclasses at the end.</summary>
public abstract class SetTestCases(IRedisTopology topology) : TopologyTestBase(topology)
{
    [Fact]
    public async Task SAdd_SMembers_SRem()
    {
        var key = Key();
        Assert.True(await Db.SAddAsync(key, "a", Ct));
        Assert.True(await Db.SAddAsync(key, "b", Ct));
        Assert.True(await Db.SAddAsync(key, "a", Ct));
        Assert.True(await Db.SAddAsync(key, "ü文", Ct));
        var members = await Db.SMembersAsync(key, Ct);
        Assert.NotNull(members);
        Assert.Equal(new HashSet<string> { "a", "b", "ü文" }, members.ToHashSet());

        Assert.True(await Db.SRemAsync(key, "a", Ct));
        Assert.Equal(new HashSet<string> { "b", "ü文" }, (await Db.SMembersAsync(key, Ct))!.ToHashSet());
    }

    [Fact]
    public async Task SMembers_of_a_missing_set_is_empty()
    {
        var members = await Db.SMembersAsync(Key(), Ct);
        Assert.NotNull(members);
        Assert.Empty(members);
    }

    [Fact]
    public async Task Set_commands_on_a_string_key_answer_false_or_null()
    {
        var key = Key();
        await Db.SetAsync(key, "string", ct: Ct);
        Assert.False(await Db.SAddAsync(key, "a", Ct));
        Assert.False(await Db.SRemAsync(key, "a", Ct));
        Assert.Null(await Db.SMembersAsync(key, Ct));
    }
}

public sealed class StandaloneSetTests(RedisFixture fixture) : SetTestCases(fixture);

public sealed class ClusterSetTests(ClusterFixture fixture) : SetTestCases(fixture);
