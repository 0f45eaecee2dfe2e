using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RedisFlow.Queues;
using RedisFlow.Testing;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Queues;

/// <summary>A producer, a consumer and a <see cref="QueueWorker"/> under a user with exactly <see cref="RedisAclRules.QueueWorker"/>.</summary>
public sealed class QueueAclTests(AclFixture fixture) : IClassFixture<AclFixture>
{
    private const string Secret = "qu3ue-Pa55-word";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Producer_consumer_and_worker_run_under_exactly_the_QueueWorker_rules_with_nothing_denied()
    {
        var user = "queue-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Acl.CreateUserAsync(user, Secret, RedisAclRules.QueueWorker, Ct);
        await fixture.Acl.AdminAsync(Ct, "ACL", "LOG", "RESET");
        using var logs = new CapturingLoggerFactory();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var db = await RedisDb.ConnectAsync(fixture.Acl.Options(user, Secret), factory, Ct);
        var queue = $"acl:{Guid.NewGuid():N}";
        string Denied() => $"{db.LastProblem?.Message} / logs: {logs.AllText()[^Math.Min(2000, logs.AllText().Length)..]}";

        // Seed API: produce, consume, pending, requeue, info, dead letters and re-drive, trim, unacked iterator.
        Assert.True(await db.QueueProductAsync(queue, new { n = 0 }, Ct), Denied());
        var first = await db.QueueConsumerAsync(queue, "g", "seed", TimeSpan.Zero, ct: Ct);
        Assert.True(first is not null, Denied());
        Assert.Single(await db.GetPendingMsgAsync(queue, "g", ct: Ct));
        Assert.NotNull(await db.RequeueMsgWithIdAsync(queue, "g", first.GetMsgId(), Ct));
        var again = await db.QueueConsumerAsync(queue, "g", "seed", TimeSpan.Zero, ct: Ct);
        Assert.True(await db.DeadLetterMsgAsync(queue, "g", again!.GetMsgId(), "acl test", deleteOriginal: true, Ct));
        var dead = Assert.Single(await db.GetDeadLettersAsync(queue, ct: Ct));
        Assert.NotNull(await db.RedriveDeadLetterAsync(queue, dead.Id, Ct));
        Assert.NotNull(await db.QueueInfoAsync(queue, "g", Ct));
        Assert.Equal(2, await db.QueueLengthAsync(queue, Ct)); // the first entry (requeued, not deleted) and the re-driven one
        Assert.NotNull(await db.QueueConsumerAsync(queue, "g", "seed", TimeSpan.Zero, ct: Ct)); // the re-driven entry, left pending
        var unacked = 0;
        await foreach (var m in db.GetUnackedIteratorAsync([queue], "g", "seed", Ct))
        {
            unacked++;
            Assert.True(await m.AckAsync(Ct));
        }

        Assert.Equal(1, unacked);
        Assert.Equal(2, (await db.TrimQueueAsync(queue, Ct))?.Deleted);

        // The blocking path, and a blocked read cancelled (CLIENT UNBLOCK from the main connection).
        using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var blocked = db.QueueConsumerAsync(queue, "g", "seed", TimeSpan.FromSeconds(30), ct: cancel.Token);
            await Poll.UntilAsync(async () => (await fixture.Acl.AdminAsync(Ct, "CLIENT", "LIST")).Contains("cmd=xreadgroup", StringComparison.Ordinal),
                TimeSpan.FromSeconds(20), "the consumer blocked in XREADGROUP", Ct);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.WaitAsync(TimeSpan.FromSeconds(15), Ct));
        }

        // A stalled entry for the worker to claim, a poison entry and a failing one to dead-letter.
        Assert.True(await db.QueueProductAsync(queue, new { n = 1 }, Ct));
        Assert.NotNull(await db.QueueConsumerAsync(queue, "g", "gone-container", TimeSpan.Zero, ct: Ct));
        await fixture.Acl.AdminAsync(Ct, "XADD", queue, "*", "message", "{not json");
        await db.QueueProductAsync(queue, new { fail = true }, Ct);

        var handled = new ConcurrentDictionary<int, byte>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string? longEntry = null;
        var worker = new QueueWorker(db, new QueueWorkerOptions
        {
            QueueName = queue,
            GroupName = "g",
            ConsumerName = "acl-worker",
            Concurrency = 2,
            BlockTimeout = TimeSpan.FromMilliseconds(500),
            ClaimIdleTime = TimeSpan.FromSeconds(3),
            ClaimInterval = TimeSpan.FromMilliseconds(200),
            MaxDeliveries = 2,
            TrimInterval = TimeSpan.FromMilliseconds(200),
        }, async (m, ct) =>
        {
            var message = m.GetMessage();
            if (message.TryGetProperty("fail", out _))
            {
                throw new InvalidOperationException("always fails");
            }

            var n = message.GetProperty("n").GetInt32();
            if (n == 2)
            {
                Volatile.Write(ref longEntry, m.GetMsgId());
                // Runs past the claim idle time: the keep-alive script keeps it.
                await gate.Task.WaitAsync(TimeSpan.FromSeconds(90), ct);
            }

            handled[n] = 0;
        }, factory);
        await worker.StartAsync(Ct);
        try
        {
            await db.QueueProductAsync(queue, new { n = 2 }, Ct);
            for (var n = 3; n < 10; n++)
            {
                Assert.True(await db.QueueProductAsync(queue, new { n }, Ct), Denied());
            }

            await Poll.UntilAsync(async () => (await db.GetDeadLettersAsync(queue, ct: Ct)).Count >= 2, TimeSpan.FromSeconds(60), "two dead letters", Ct);
            await WaitForKeepAlivesAsync(db, queue, () => Volatile.Read(ref longEntry));
            gate.SetResult();
            await Poll.UntilAsync(async () => handled.Count == 9 && (await db.QueueInfoAsync(queue, "g", Ct))?.Pending == 0,
                TimeSpan.FromSeconds(60), "every good entry handled", Ct);
            await Poll.UntilAsync(async () => await db.QueueLengthAsync(queue, Ct) == 0, TimeSpan.FromSeconds(60), "the worker trimming acknowledged entries", Ct);
        }
        finally
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await worker.StopAsync(limit.Token);
            worker.Dispose();
        }

        Assert.Equal(Enumerable.Range(1, 9), handled.Keys.Order());
        Assert.Equal(string.Empty, await fixture.DeniedAsync(Ct));
        Assert.DoesNotContain("NOPERM", logs.AllText(), StringComparison.Ordinal);
        Assert.Null(db.LastProblem);
    }

    [Theory]
    [InlineData("+xadd")]
    [InlineData("+xpending")]
    [InlineData("+client|unblock")]
    public async Task A_user_missing_one_rule_gets_a_problem_naming_Redis_Username_and_that_rule(string missing)
    {
        var user = "queue-partial-" + Guid.NewGuid().ToString("N")[..8];
        var rules = RedisAclRules.QueueWorker.Replace(" " + missing + " ", " ", StringComparison.Ordinal);
        Assert.NotEqual(RedisAclRules.QueueWorker, rules);
        await fixture.Acl.CreateUserAsync(user, Secret, rules, Ct);
        await using var db = await RedisDb.ConnectAsync(fixture.Acl.Options(user, Secret), ct: Ct);
        var queue = $"acl:{Guid.NewGuid():N}";

        await db.QueueProductAsync(queue, new { n = 1 }, Ct);
        using var worker = new QueueWorker(db, new QueueWorkerOptions
        {
            QueueName = queue,
            GroupName = "g",
            ConsumerName = "acl-partial",
            BlockTimeout = TimeSpan.FromMilliseconds(500),
            ClaimIdleTime = TimeSpan.FromMilliseconds(900),
            ClaimInterval = TimeSpan.FromMilliseconds(200),
        }, (_, _) => Task.CompletedTask);
        await worker.StartAsync(Ct);
        try
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var blocked = db.QueueConsumerAsync(queue + ":idle", "g", "c", TimeSpan.FromSeconds(3), ct: cancel.Token);
            await Poll.UntilAsync(async () => (await fixture.Acl.AdminAsync(Ct, "CLIENT", "LIST")).Contains($"user={user} ", StringComparison.Ordinal)
                                              && (await fixture.Acl.AdminAsync(Ct, "CLIENT", "LIST")).Contains("cmd=xreadgroup", StringComparison.Ordinal),
                TimeSpan.FromSeconds(20), "a blocked read", Ct);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.WaitAsync(TimeSpan.FromSeconds(20), Ct));
            await Poll.UntilAsync(() => db.LastProblem is not null, TimeSpan.FromSeconds(20), "the problem reported", Ct);
        }
        finally
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await worker.StopAsync(limit.Token);
        }

        var problem = db.LastProblem;
        Assert.NotNull(problem);
        Assert.Equal("Redis:Username", problem.Setting);
        Assert.Contains($"ACL SETUSER {user} {missing}", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_documented_queue_rule_is_the_tested_one()
    {
        var doc = RepositoryFiles.ReadAllText("docs", "production-redis.md");
        Assert.Contains("ACL SETUSER ragflow-queue on >PASSWORD " + RedisAclRules.QueueWorker + "\n", doc, StringComparison.Ordinal);
    }

    /// <summary>Waits until the long entry's idle time fell back twice: the keep-alive script ran under the user.</summary>
    private static async Task WaitForKeepAlivesAsync(RedisDb db, string queue, Func<string?> entry)
    {
        var resets = 0;
        var lastIdle = TimeSpan.Zero;
        await Poll.UntilAsync(async () =>
        {
            var id = entry();
            var pending = id is null ? null : (await db.GetPendingMsgAsync(queue, "g", 100, Ct)).FirstOrDefault(p => p.Id == id);
            if (pending is null)
            {
                return false;
            }

            if (pending.Idle < lastIdle)
            {
                resets++;
            }

            lastIdle = pending.Idle;
            return resets >= 2;
        }, TimeSpan.FromSeconds(60), "two keep-alives of the long entry", Ct);
    }
}
