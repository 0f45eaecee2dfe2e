using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RedisFlow.Queues;
using RedisFlow.Testing;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Queues;

/// <summary>
/// The fleet-aware claim under exactly <see cref="RedisAclRules.QueueWorker"/>, and a worker registered as a RAGFlow
/// executor under exactly <see cref="RedisAclRules.RagflowExecutor"/>.
/// </summary>
public sealed class QueueExecutorAclTests(AclFixture fixture) : IClassFixture<AclFixture>
{
    private const string Secret = "ex3cutor-Pa55-word";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_plain_worker_checks_executor_heartbeats_before_claiming_under_exactly_the_QueueWorker_rules()
    {
        await using var session = await ConnectAsync(RedisAclRules.QueueWorker);
        var (user, db, logs, factory) = (session.User, session.Db, session.Logs, session.Factory);
        var queue = $"acl:{Guid.NewGuid():N}";
        var live = "live-" + Guid.NewGuid().ToString("N")[..8];
        await HoldEntryAsync(queue, live, fresh: true);

        using var worker = Worker(db, queue, "acl-plain", register: false, factory);
        await worker.StartAsync(Ct);
        try
        {
            await Poll.UntilAsync(() => logs.AllText().Contains("left 1 idle entries alone", StringComparison.Ordinal), TimeSpan.FromSeconds(30),
                "a claim pass that read the live executor's heartbeat", Ct);
        }
        finally
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await worker.StopAsync(limit.Token);
        }

        Assert.Equal(string.Empty, await fixture.Acl.DeniedAsync(user, Ct));
        Assert.DoesNotContain("NOPERM", logs.AllText(), StringComparison.Ordinal);
        Assert.Null(db.LastProblem);
    }

    [Fact]
    public async Task A_registered_executor_runs_under_exactly_the_RagflowExecutor_rules()
    {
        await using var session = await ConnectAsync(RedisAclRules.RagflowExecutor);
        var (user, db, logs, factory) = (session.User, session.Db, session.Logs, session.Factory);
        var queue = $"acl:{Guid.NewGuid():N}";
        var dead = "dead-" + Guid.NewGuid().ToString("N")[..8];
        var name = "acl-exec-" + Guid.NewGuid().ToString("N")[..8];
        await HoldEntryAsync(queue, dead, fresh: false);

        var handled = new ConcurrentQueue<string>();
        using var worker = Worker(db, queue, name, register: true, factory, m => handled.Enqueue(m.Id));
        await worker.StartAsync(Ct);
        try
        {
            // The dead executor's entry is claimed, the executor removed under the lock, and this one heartbeats.
            await Poll.UntilAsync(async () => handled.Count == 1
                                              && !(await fixture.Acl.AdminAsync(Ct, "SMEMBERS", "TASKEXE")).Contains(dead, StringComparison.Ordinal)
                                              && (await fixture.Acl.AdminAsync(Ct, "ZCARD", name)) != "0",
                TimeSpan.FromSeconds(30), "claim, cleaning and heartbeat", Ct);
        }
        finally
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await worker.StopAsync(limit.Token);
        }

        Assert.True("0" == await fixture.Acl.AdminAsync(Ct, "EXISTS", name), // left the fleet on stop
            await fixture.Acl.AdminAsync(Ct, "ZRANGE", name, "0", "-1", "WITHSCORES") + " / " + logs.AllText());
        Assert.Equal(string.Empty, await fixture.Acl.DeniedAsync(user, Ct));
        Assert.DoesNotContain("NOPERM", logs.AllText(), StringComparison.Ordinal);
        Assert.Null(db.LastProblem);
    }

    /// <summary>
    /// An executor registered in TASKEXE holding one pending entry of <paramref name="queue"/>; its one heartbeat is
    /// scored 10 minutes ahead (fresh for the whole test without beating) or 10 minutes back (dead).
    /// </summary>
    private async Task HoldEntryAsync(string queue, string executor, bool fresh)
    {
        await fixture.Acl.AdminAsync(Ct, "XGROUP", "CREATE", queue, "g", "0", "MKSTREAM");
        await fixture.Acl.AdminAsync(Ct, "XADD", queue, "*", "message", "{\"id\": \"t\"}");
        await fixture.Acl.AdminAsync(Ct, "XREADGROUP", "GROUP", "g", executor, "COUNT", "1", "STREAMS", queue, ">");
        await fixture.Acl.AdminAsync(Ct, "SADD", "TASKEXE", executor);
        var score = DateTimeOffset.UtcNow.AddMinutes(fresh ? 10 : -10).ToUnixTimeMilliseconds() / 1000.0;
        await fixture.Acl.AdminAsync(Ct, "ZADD", executor, score.ToString(CultureInfo.InvariantCulture), "{}");
    }

    private async Task<Session> ConnectAsync(string rules)
    {
        var user = "exec-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Acl.CreateUserAsync(user, Secret, rules, Ct);
        var logs = new CapturingLoggerFactory();
        var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        return new Session(user, await RedisDb.ConnectAsync(fixture.Acl.Options(user, Secret), factory, Ct), logs, factory);
    }

    private sealed record Session(string User, RedisDb Db, CapturingLoggerFactory Logs, ILoggerFactory Factory) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Db.DisposeAsync();
            Factory.Dispose();
            Logs.Dispose();
        }
    }

    private static QueueWorker Worker(RedisDb db, string queue, string name, bool register, ILoggerFactory factory, Action<RedisMsg>? handled = null) =>
        new(db, new QueueWorkerOptions
        {
            QueueNames = { queue + ":high", queue },
            GroupName = "g",
            ConsumerName = name,
            BlockTimeout = TimeSpan.FromMilliseconds(300),
            ClaimIdleTime = TimeSpan.FromMilliseconds(100),
            ClaimInterval = TimeSpan.FromMilliseconds(100),
            ExecutorHeartbeatTimeout = TimeSpan.FromSeconds(60),
            RegisterAsRagflowExecutor = register,
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            TrimInterval = TimeSpan.FromMilliseconds(200),
        }, (m, _) =>
        {
            handled?.Invoke(m);
            return Task.CompletedTask;
        }, factory);
}
