using Microsoft.Extensions.Logging;
using RedisFlow.Locking;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Durability;

/// <summary>
/// With <see cref="RedisDbOptions.WaitForReplicas"/> set, the queue writes and the lock's acquire send <c>WAIT</c>
/// under exactly <see cref="RedisAclRules.QueueWorker"/> and <see cref="RedisAclRules.LockHolder"/>. The ACL server
/// has no replica, so nothing is confirmed: every write answers failure, warns that it exists on the primary only,
/// and the lock gives back what it took.
/// </summary>
public sealed class DurableAclTests(AclFixture fixture) : IClassFixture<AclFixture>
{
    private const string Secret = "dur4ble-Pa55-word";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Durable(RedisDbOptions o)
    {
        o.WaitForReplicas = 1;
        o.WaitForReplicasTimeout = TimeSpan.FromMilliseconds(50);
    }

    /// <summary>A new user with exactly <paramref name="rules"/>, and a <see cref="RedisDb"/> with the option on, logging to <paramref name="factory"/>.</summary>
    private async Task<(string User, RedisDb Db)> ConnectAsync(string prefix, string rules, ILoggerFactory factory)
    {
        var user = prefix + Guid.NewGuid().ToString("N")[..8];
        await fixture.Acl.CreateUserAsync(user, Secret, rules, Ct);
        return (user, await RedisDb.ConnectAsync(fixture.Acl.Options(user, Secret, Durable), factory, Ct));
    }

    [Fact]
    public async Task Unconfirmed_queue_writes_answer_failure_and_warn_with_nothing_denied()
    {
        using var logs = new CapturingLoggerFactory();
        var (user, db) = await ConnectAsync("durable-queue-", RedisAclRules.QueueWorker, logs);
        await using var _ = db;
        var queue = $"acl-durable:{Guid.NewGuid():N}";

        Assert.False(await db.QueueProductAsync(queue, new { n = 1 }, Ct));
        Assert.Null(await db.QueueProductWithIdAsync(queue, new { n = 2 }, Ct));
        Assert.Equal(2, await db.QueueLengthAsync(queue, Ct)); // on the primary all the same
        var first = await db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);
        Assert.NotNull(first);
        Assert.Null(await db.RequeueMsgWithIdAsync(queue, "g", first.GetMsgId(), Ct));
        Assert.Equal(3, await db.QueueLengthAsync(queue, Ct));
        var second = await db.QueueConsumerAsync(queue, "g", "c", TimeSpan.Zero, ct: Ct);
        Assert.False(await db.DeadLetterMsgAsync(queue, "g", second!.GetMsgId(), "durable acl", deleteOriginal: false, Ct));
        var dead = Assert.Single(await db.GetDeadLettersAsync(queue, ct: Ct));
        Assert.Null(await db.RedriveDeadLetterAsync(queue, dead.Id, Ct));

        var warnings = logs.AllText();
        Assert.Contains("exists on the primary but is not yet replicated (0 of 1 replicas", warnings, StringComparison.Ordinal);
        Assert.Contains("may create a duplicate", warnings, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await fixture.Acl.DeniedAsync(user, Ct));
        Assert.DoesNotContain("NOPERM", warnings, StringComparison.Ordinal);
        Assert.Null(db.LastProblem);
    }

    [Fact]
    public async Task An_unconfirmed_lock_acquire_releases_what_it_took_and_answers_false_with_nothing_denied()
    {
        using var logs = new CapturingLoggerFactory();
        var (user, db) = await ConnectAsync("durable-lock-", RedisAclRules.LockHolder, logs);
        await using var _ = db;
        var key = $"acl-durable-lock:{Guid.NewGuid():N}";

        await using var l = new RedisDistributedLock(db, key, blockingTimeout: TimeSpan.FromMilliseconds(300));
        Assert.False(await l.AcquireAsync(Ct));
        Assert.False(l.IsHeld);
        Assert.False(await db.ExistAsync(key, Ct));
        Assert.Contains("not yet replicated", logs.AllText(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await fixture.Acl.DeniedAsync(user, Ct));
        Assert.Null(db.LastProblem);
    }

    [Fact]
    public async Task A_user_without_wait_gets_a_problem_naming_the_rule()
    {
        var rules = RedisAclRules.QueueWorker.Replace(" +wait ", " ", StringComparison.Ordinal);
        Assert.NotEqual(RedisAclRules.QueueWorker, rules);
        using var logs = new CapturingLoggerFactory();
        var (user, db) = await ConnectAsync("durable-nowait-", rules, logs);
        await using var _ = db;

        Assert.False(await db.QueueProductAsync($"acl-durable:{Guid.NewGuid():N}", new { n = 1 }, Ct));
        var problem = db.LastProblem;
        Assert.NotNull(problem);
        Assert.Equal("Redis:Username", problem.Setting);
        Assert.Contains($"ACL SETUSER {user} +wait", problem.Message, StringComparison.Ordinal);
    }
}
