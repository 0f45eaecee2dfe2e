using System.Globalization;
using Microsoft.Extensions.Logging;
using RedisFlow.Locking;
using RedisFlow.Testing;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Topologies;

/// <summary>
/// A lock holder and a waiter run as an ACL user with exactly <see cref="RedisAclRules.LockHolder"/>: acquire with
/// renewal, hand-over to a waiter by pub/sub, release, unsubscribe; nothing is denied. A user missing any one of
/// the rules the lock adds to the foundation gets a <see cref="RedisDb.LastProblem"/> naming Redis:Username and the
/// rule to add.
/// </summary>
public sealed class LockAclTests(AclFixture fixture) : IClassFixture<AclFixture>
{
    private const string Secret = "l0ck-Pa55-word";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lock_holder_and_a_waiter_run_under_exactly_the_documented_rules()
    {
        var user = "locker-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Acl.CreateUserAsync(user, Secret, RedisAclRules.LockHolder, Ct);
        using var logs = new CapturingLoggerFactory();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var holderDb = await RedisDb.ConnectAsync(fixture.Acl.Options(user, Secret), factory, Ct);
        await using var waiterDb = await RedisDb.ConnectAsync(fixture.Acl.Options(user, Secret), factory, Ct);
        var key = $"acl-lock:{Guid.NewGuid():N}";
        var channel = LockKeys.ReleaseChannelPrefix + key;

        // Acquire with renewal, and see a renewal push the lease back up.
        var renewing = new RedisLockOptions { Renewal = LeaseRenewal.Always, RenewalInterval = TimeSpan.FromSeconds(1) };
        var holder = new RedisDistributedLock(holderDb, key, timeout: TimeSpan.FromSeconds(6), options: renewing);
        Assert.True(await holder.AcquireAsync(Ct), logs.AllText());
        var firstTtl = await PttlAsync(key);
        await Poll.UntilAsync(async () => await PttlAsync(key) > firstTtl, Generous, "a renewal to extend the lease", Ct);

        // A waiter on another connection subscribes, and the release hands the lock over (polling is slowed to its
        // maximum, so the release message does it).
        await using var waiter = new RedisDistributedLock(waiterDb, key, timeout: TimeSpan.FromMinutes(1), options: new RedisLockOptions { MaxRetryDelay = TimeSpan.FromMinutes(1) });
        var waiting = waiter.SpinAcquireAsync(Ct);
        await Poll.UntilAsync(async () => await SubscribersAsync(channel) == 1, Generous, "the waiter to subscribe", Ct);
        await holder.ReleaseAsync();
        await waiting.WaitAsync(Generous, Ct);
        Assert.Equal(waiter.LockValue, await waiterDb.GetAsync(key, Ct));
        await waiter.ReleaseAsync();
        Assert.False(await waiterDb.ExistAsync(key, Ct));

        // With no waiter left, the release channel is unsubscribed after a short linger.
        await Poll.UntilAsync(async () => await SubscribersAsync(channel) == 0, Generous, "the idle release channel to be unsubscribed", Ct);

        Assert.Equal(string.Empty, await fixture.Acl.DeniedAsync(user, Ct));
        Assert.DoesNotContain("NOPERM", logs.AllText(), StringComparison.Ordinal);
        Assert.Null(holderDb.LastProblem);
        Assert.Null(waiterDb.LastProblem);
    }

    [Fact]
    public void The_documented_lock_holder_rule_is_the_tested_one() =>
        Assert.Contains("ACL SETUSER ragflow-lock on >PASSWORD " + RedisAclRules.LockHolder + "\n",
            RepositoryFiles.ReadAllText("docs", "production-redis.md"), StringComparison.Ordinal);

    [Theory]
    [InlineData("+pttl")]
    [InlineData("+pexpire")]
    [InlineData("+time")]
    [InlineData("+publish")]
    [InlineData("+unsubscribe")]
    [InlineData("&redisflow:lock-released:*")]
    public async Task A_user_missing_one_lock_rule_gets_a_problem_naming_Redis_Username_and_the_rule(string rule)
    {
        var user = "nolock-" + Guid.NewGuid().ToString("N")[..8];
        var rules = RedisAclRules.LockHolder.Replace(" " + rule, string.Empty, StringComparison.Ordinal);
        Assert.NotEqual(RedisAclRules.LockHolder, rules);
        await fixture.Acl.CreateUserAsync(user, Secret, rules, Ct);
        await using var holderDb = await RedisDb.ConnectAsync(fixture.Acl.Options(user, Secret), ct: Ct);
        await using var waiterDb = await RedisDb.ConnectAsync(fixture.Acl.Options(user, Secret), ct: Ct);
        RedisConnectionProblem? Problem() => holderDb.LastProblem ?? waiterDb.LastProblem;
        var key = $"acl-lock:{Guid.NewGuid():N}";

        // The same life as above; each step may fail for want of the rule, and none may hang.
        var renewing = new RedisLockOptions { Renewal = LeaseRenewal.Always, RenewalInterval = TimeSpan.FromSeconds(1) };
        var holder = new RedisDistributedLock(holderDb, key, timeout: TimeSpan.FromSeconds(6), options: renewing);
        if (await holder.AcquireAsync(Ct))
        {
            await using var waiter = new RedisDistributedLock(waiterDb, key, timeout: TimeSpan.FromMinutes(1));
            var waiting = waiter.SpinAcquireAsync(Ct);
            var firstTtl = await PttlAsync(key);
            await Poll.UntilAsync(async () => Problem() is not null || await PttlAsync(key) > firstTtl, Generous, "a renewal or a problem", Ct);
            await holder.ReleaseAsync();
            await waiting.WaitAsync(Generous, Ct);
            await waiter.ReleaseAsync();
        }
        else
        {
            // Only a rule the acquire script itself runs may make the acquisition fail.
            Assert.Equal("+time", rule);
        }
        await Poll.UntilAsync(() => Task.FromResult(Problem() is not null), Generous, $"a problem naming {rule}", Ct);

        var problem = Problem()!;
        Assert.Equal("Redis:Username", problem.Setting);
        Assert.Contains($"ACL SETUSER {user} {rule}", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, problem.Message, StringComparison.Ordinal);
    }

    private async Task<long> PttlAsync(string key) =>
        long.Parse(await fixture.Acl.AdminAsync(Ct, "PTTL", key), CultureInfo.InvariantCulture);

    private async Task<long> SubscribersAsync(string channel)
    {
        var reply = (await fixture.Acl.AdminAsync(Ct, "PUBSUB", "NUMSUB", channel)).Split('\n', StringSplitOptions.TrimEntries);
        return long.Parse(reply[^1], CultureInfo.InvariantCulture);
    }
}
