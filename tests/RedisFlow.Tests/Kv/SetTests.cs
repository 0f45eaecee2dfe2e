using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Kv;

public sealed class SetTests(RedisFixture fixture) : RedisTestBase(fixture)
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
