using RedisFlow.Queues;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Queues;

/// <summary>A queue's dead-letter stream shares its hash slot (so one script may touch both on Redis Cluster).</summary>
public sealed class QueueKeysTests(RedisFixture fixture) : QueueTestBase(fixture)
{
    [Theory]
    [InlineData("te.0.common", "{te.0.common}:dead")]
    [InlineData("te.1.common", "{te.1.common}:dead")]
    [InlineData("{tenant}.tasks", "{tenant}.tasks:dead")]
    [InlineData("a{b", "{a{b}:dead")]
    public async Task Dead_letter_key_is_in_the_queue_slot(string queue, string expected)
    {
        var dead = QueueKeys.DeadLetter(queue);
        Assert.Equal(expected, dead);
        var connection = await Db.GetConnectionAsync(Ct);
        Assert.Equal(connection.HashSlot(queue), connection.HashSlot(dead));
    }

    [Fact]
    public void A_name_with_a_closing_brace_but_no_tag_is_refused()
    {
        Assert.Throws<ArgumentException>(() => QueueKeys.DeadLetter("a}b"));
        Assert.Throws<ArgumentException>(() => QueueKeys.DeadLetter("a{}b"));
    }
}
