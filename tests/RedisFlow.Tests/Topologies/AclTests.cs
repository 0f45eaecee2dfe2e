using Microsoft.Extensions.Logging;
using RedisFlow.Testing;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Topologies;

public sealed class AclTests(AclFixture fixture) : IClassFixture<AclFixture>
{
    private const string Secret = "s3cret-Pa55-word";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Foundation_runs_every_RedisDb_method_under_exactly_its_documented_rules()
    {
        var user = "foundation-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Acl.CreateUserAsync(user, Secret, RedisAclRules.Foundation, Ct);
        await fixture.Acl.AdminAsync(Ct, "ACL", "LOG", "RESET");
        await using var db = await RedisDb.ConnectAsync(fixture.Acl.Options(user, Secret), ct: Ct);
        var k = $"acl:{Guid.NewGuid():N}";

        Assert.True(await db.HealthAsync(Ct), db.LastProblem?.Message + " / " + await fixture.DeniedAsync(Ct));
        Assert.NotNull(await db.InfoAsync(Ct));
        Assert.True(await db.SetAsync(k + ":s", "v", 60, Ct));
        Assert.True(await db.SetAsync(k + ":b", [1, 2], 60, Ct));
        Assert.True(await db.SetObjAsync(k + ":o", new { a = 1 }, 60, Ct));
        Assert.Equal("v", await db.GetAsync(k + ":s", Ct));
        Assert.Equal(new byte[] { 1, 2 }, await db.GetBytesAsync(k + ":b", Ct));
        Assert.Equal(new string?[] { "v", null }, (await db.MGetAsync([k + ":s", k + ":none"], Ct)).AsEnumerable());
        Assert.True(await db.ExistAsync(k + ":s", Ct));
        Assert.True(await db.SetIfAbsentAsync(k + ":nx", "1", 60, Ct));
        Assert.Equal(3, await db.IncrByAsync(k + ":n", 3, Ct));
        Assert.Equal(2, await db.DecrByAsync(k + ":n", 1, Ct));
        Assert.True(await db.TransactionAsync(k + ":t", "v", 60, Ct));
        Assert.True(await db.TransactionAsync(k + ":tb", new byte[] { 9 }, 60, Ct));
        Assert.True(await db.SAddAsync(k + ":set", "m", Ct));
        Assert.Equal(["m"], await db.SMembersAsync(k + ":set", Ct));
        Assert.True(await db.SRemAsync(k + ":set", "m", Ct));
        Assert.True(await db.ZAddAsync(k + ":z", "a", 1, Ct));
        Assert.True(await db.ZAddAsync(k + ":z", "b", 2, Ct));
        Assert.Equal(2, await db.ZCountAsync(k + ":z", 0, 5, Ct));
        Assert.Equal(2, await db.ZCardAsync(k + ":z", Ct));
        Assert.Equal(["a", "b"], await db.ZRangeByScoreAsync(k + ":z", 0, 5, Ct));
        Assert.Equal("a", Assert.Single((await db.ZPopMinAsync(k + ":z", 1, Ct))!).Member);
        Assert.Equal(1, await db.ZRemRangeByScoreAsync(k + ":z", 0, 5, Ct));
        Assert.True(await db.DeleteIfEqualAsync(k + ":s", "v", Ct));
        Assert.Equal("OK", await fixture.Acl.AdminAsync(Ct, "SCRIPT", "FLUSH"));
        Assert.True(await db.DeleteIfEqualAsync(k + ":t", "v", Ct));
        Assert.True(await db.DeleteAsync(k + ":b", Ct));

        // Nothing was denied, not even a command StackExchange.Redis sends while connecting and tolerates losing.
        Assert.Equal(string.Empty, await fixture.DeniedAsync(Ct));
        Assert.Null(db.LastProblem);
    }

    [Fact]
    public void The_documented_foundation_rule_is_the_tested_one()
    {
        var doc = RepositoryFiles.ReadAllText("docs", "production-redis.md");
        Assert.Contains("ACL SETUSER ragflow on >PASSWORD " + RedisAclRules.Foundation + "\n", doc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_one_clear_problem_naming_Redis_Password_and_never_the_password()
    {
        var user = "app-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Acl.CreateUserAsync(user, Secret, RedisAclRules.Foundation, Ct);
        using var logs = new CapturingLoggerFactory();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        const string wrong = "not-the-Pa55-word";
        await using var db = await RedisDb.ConnectAsync(fixture.Acl.Options(user, wrong), factory, Ct);
        Assert.False(await db.HealthAsync(Ct));
        var problem = db.LastProblem;
        Assert.True(problem is not null, logs.AllText());
        Assert.Equal("Redis:Password", problem.Setting);
        Assert.Contains(user, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, logs.AllText(), StringComparison.Ordinal);
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task User_without_a_permission_gets_a_problem_naming_the_ACL_rule_to_add()
    {
        var user = "readonly-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Acl.CreateUserAsync(user, Secret, RedisAclRules.Foundation.Replace("+sadd ", string.Empty, StringComparison.Ordinal), Ct);
        await using var db = await RedisDb.ConnectAsync(fixture.Acl.Options(user, Secret), ct: Ct);
        Assert.False(await db.SAddAsync("acl:denied", "v", Ct));
        var problem = db.LastProblem;
        Assert.NotNull(problem);
        Assert.Equal("Redis:Username", problem.Setting);
        Assert.Contains($"ACL SETUSER {user} +sadd", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, problem.Message, StringComparison.Ordinal);
    }
}
