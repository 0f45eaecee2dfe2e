using RedisFlow.Tests.Infrastructure;
using RedisFlow.Testing;
using System.Collections.Concurrent;
using RedisFlow.Embedded;
using RedisFlow.Queues;

namespace RedisFlow.Tests.Queues;

/// <summary>A redis-server with an fsync-always AOF killed and restarted under a producer and a worker loses no entry.</summary>
public sealed class QueueRestartTests
{
    // Enough that producing is still going on when redis is killed, on the fast one-at-a-time path too.
    private const int Attempts = 4000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_entry_whose_XADD_succeeded_is_lost_when_redis_is_killed_and_restarted()
    {
        await using var server = await RedisServerProcess.StartAsync(["--appendonly", "yes", "--appendfsync", "always"], Ct);
        var options = new RedisDbOptions { Host = server.Endpoint, Db = 1, OperationTimeout = TimeSpan.FromSeconds(2) };
        await using var db = await RedisDb.ConnectAsync(options, ct: Ct);
        const string queue = "te.0.common";

        var handled = new ConcurrentDictionary<int, int>();
        using var worker = new QueueWorker(db, new QueueWorkerOptions
        {
            QueueName = queue,
            GroupName = "rag_flow_svr_task_broker",
            ConsumerName = "restart-test",
            Concurrency = 4,
            BlockTimeout = TimeSpan.FromMilliseconds(500),
            ClaimIdleTime = TimeSpan.FromSeconds(1),
            ClaimInterval = TimeSpan.FromMilliseconds(250),
            MaxDeliveries = 100,
        }, (m, _) =>
        {
            handled.AddOrUpdate(m.GetMessage().GetProperty("n").GetInt32(), 1, (_, c) => c + 1);
            return Task.CompletedTask;
        });
        await worker.StartAsync(Ct);

        var produced = new ConcurrentBag<int>();
        var failed = 0;
        var producer = Task.Run(async () =>
        {
            for (var i = 0; i < Attempts; i++)
            {
                if (await db.QueueProductAsync(queue, new { n = i }, Ct))
                {
                    produced.Add(i);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }, Ct);

        await WaitUntil(() => produced.Count >= 100 && handled.Count >= 50, "producing and consuming before the kill");
        await server.KillAsync();
        await WaitUntil(() => Volatile.Read(ref failed) >= 1, "a produce failing while redis is down");
        await server.RestartAsync(Ct);
        await producer.WaitAsync(TimeSpan.FromSeconds(120), Ct);
        await WaitUntil(() => produced.All(handled.ContainsKey), "every produced entry handled", TimeSpan.FromSeconds(60));

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await worker.StopAsync(limit.Token);
        TestReport.Write(
            $"QUEUE restart: attempts {Attempts}, XADD succeeded {produced.Count}, failed {failed}, handled distinct {handled.Count}, handled twice or more {handled.Count(h => h.Value > 1)}");
        Assert.True(failed >= 1);
        Assert.True(produced.Count > 100);
        Assert.All(produced, n => Assert.True(handled.ContainsKey(n), $"entry {n} was added but never handled"));
    }

    private static async Task WaitUntil(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(20, Ct);
        }
    }
}
