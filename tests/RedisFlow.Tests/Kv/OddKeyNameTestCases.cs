using RedisFlow.Locking;
using RedisFlow.Queues;
using RedisFlow.Testing.Fixtures;
using RedisFlow.Tests.Queues;

namespace RedisFlow.Tests.Kv;

/// <summary>
/// Key, lock and queue names with braces (hash tags, or a stray <c>}</c>), line breaks, or no characters at all
/// (docs/bad-input.md): each either works as given, byte for byte, or is refused up front with an
/// <see cref="ArgumentException"/> naming the parameter.
/// </summary>
public abstract class OddKeyNameTestCases(IRedisTopology topology) : QueueTopologyTestBase(topology)
{
    public static TheoryData<string> OddSuffixes => ["{tag}", "a}b{c", "{}", "line1\nline2\r\n", "tab\there"];

    [Theory]
    [MemberData(nameof(OddSuffixes))]
    public async Task Keys_with_braces_or_line_breaks_are_set_read_and_deleted_under_exactly_that_name(string suffix)
    {
        var key = Key(suffix);
        Assert.True(await Db.SetAsync(key, "v", ct: Ct));

        Assert.Equal("v", await Db.GetAsync(key, Ct));
        Assert.Equal("v", (string?)await (await RawAsync()).StringGetAsync(key));
        Assert.True(await Db.DeleteAsync(key, Ct));
        Assert.False(await (await RawAsync()).KeyExistsAsync(key));
    }

    [Fact]
    public async Task The_empty_key_is_a_legal_redis_key_and_works_as_in_redis_py()
    {
        // Redis accepts "" as a key name and so does the seed; RedisFlow does not invent a stricter rule.
        var value = Guid.NewGuid().ToString("N");
        Assert.True(await Db.SetAsync(string.Empty, value, ct: Ct));

        Assert.Equal(value, await Db.GetAsync(string.Empty, Ct));
        Assert.True(await Db.DeleteAsync(string.Empty, Ct));
        Assert.Null(await Db.GetAsync(string.Empty, Ct));
    }

    [Theory]
    [MemberData(nameof(OddSuffixes))]
    public async Task Locks_named_with_braces_or_line_breaks_exclude_a_second_holder_and_release(string suffix)
    {
        var name = Key(suffix);
        await using var first = new RedisDistributedLock(Db, name, timeout: TimeSpan.FromMinutes(1), blockingTimeout: TimeSpan.Zero);
        await using var second = new RedisDistributedLock(Db, name, timeout: TimeSpan.FromMinutes(1), blockingTimeout: TimeSpan.Zero);

        Assert.True(await first.AcquireAsync(Ct));
        Assert.False(await second.AcquireAsync(Ct));
        await first.ReleaseAsync();
        Assert.True(await second.AcquireAsync(Ct));
    }

    [Fact]
    public void A_lock_with_an_empty_name_is_refused_naming_lockKey()
    {
        var refused = Assert.ThrowsAny<ArgumentException>(() => new RedisDistributedLock(Db, string.Empty));
        Assert.Equal("lockKey", refused.ParamName);
    }

    [Theory]
    [InlineData("{tag}")]
    [InlineData("line1\nline2")]
    public async Task Queues_named_with_hash_tags_or_line_breaks_deliver_and_dead_letter(string suffix)
    {
        var queue = Key(suffix);
        await (await RawAsync()).StreamAddAsync(queue, "message", "not json");
        await Db.QueueProductAsync(queue, new { ok = true }, Ct);

        var message = await Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);

        Assert.True(message!.GetMessage().GetProperty("ok").GetBoolean());
        Assert.Equal(queue, message.QueueName);
        Assert.Equal(DeadLetterReasons.InvalidJson, Assert.Single(await Db.GetDeadLettersAsync(queue, ct: Ct)).Reason);
    }

    [Theory]
    [InlineData("a}b")]
    [InlineData("{}")]
    public async Task A_queue_with_a_closing_brace_but_no_hash_tag_is_refused_before_any_entry_is_read(string suffix)
    {
        // No hash tag ("{}" is empty, so not one), so no dead-letter stream can share its slot: refused before a read
        // could leave an entry pending.
        var queue = Key(suffix);
        await (await RawAsync()).StreamAddAsync(queue, "message", "not json");

        var refused = await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct));

        Assert.Equal("queueName", refused.ParamName);
        Assert.Contains(queue, refused.Message, StringComparison.Ordinal);
        Assert.Null(await Db.QueueInfoAsync(queue, "g", Ct));
    }

    [Fact]
    public async Task An_empty_queue_group_or_consumer_name_is_refused_naming_it()
    {
        var queue = Key();
        Assert.Equal("queue", (await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.QueueProductAsync(string.Empty, new { }, Ct))).ParamName);
        Assert.Equal("queueName", (await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.QueueConsumerAsync(string.Empty, "g", "c", ct: Ct))).ParamName);
        Assert.Equal("groupName", (await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.QueueConsumerAsync(queue, string.Empty, "c", ct: Ct))).ParamName);
        Assert.Equal("consumerName", (await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.QueueConsumerAsync(queue, "g", string.Empty, ct: Ct))).ParamName);
    }
}

public sealed class StandaloneOddKeyNameTests(RedisFixture fixture) : OddKeyNameTestCases(fixture);

public sealed class ClusterOddKeyNameTests(ClusterFixture fixture) : OddKeyNameTestCases(fixture);
