using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RedisFlow.Embedded;
using RedisFlow.Testing;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Connection;

/// <summary>Kills and restarts a real redis-server under a live <see cref="RedisDb"/>. Each test owns its server.</summary>
public sealed class FaultTests
{
    /// <summary>What a loaded 2-core machine may add to a bounded call; a hang exceeds it by far.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Calls_in_flight_when_redis_dies_answer_null_or_false_within_the_timeout_and_the_same_instance_recovers()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        using var logs = new CapturingLoggerFactory();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var timeout = TimeSpan.FromSeconds(2);
        await using var db = await RedisDb.ConnectAsync(
            new RedisDbOptions { Host = server.Endpoint, OperationTimeout = timeout, Password = null }, loggerFactory, Ct);
        Assert.True(await db.SetAsync("k", "v", ct: Ct));

        // Keep a stream of calls in flight, then kill the server under them.
        using var stop = new CancellationTokenSource();
        var results = new List<(bool Ok, TimeSpan Took)>();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var sw = Stopwatch.StartNew();
                var got = await db.GetAsync("k", Ct);
                lock (results)
                {
                    results.Add((got == "v", sw.Elapsed));
                }
            }
        }, Ct);
        await WaitUntilAsync(() => { lock (results) { return results.Count > 20; } });
        await server.KillAsync();

        var sw = Stopwatch.StartNew();
        Assert.Null(await db.GetAsync("k", Ct));
        Assert.False(await db.SetAsync("k2", "v", ct: Ct));
        Assert.Null(await db.ExistAsync("k", Ct));
        Assert.Null(await db.SMembersAsync("s", Ct));
        Assert.False(await db.HealthAsync(Ct));
        Assert.False(db.IsAlive);
        // Bounded, not fast: the slack absorbs a CPU-starved machine; a call that hangs would blow far past it.
        Assert.True(sw.Elapsed < (timeout + Slack) * 5, $"five calls took {sw.Elapsed}");

        await stop.CancelAsync();
        await load;
        lock (results)
        {
            Assert.Contains(results, r => !r.Ok);
            Assert.All(results, r => Assert.True(r.Took < timeout + Slack, $"a call took {r.Took}"));
        }

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("RedisDb.GetAsync failed for key 'k'", StringComparison.Ordinal));

        // Same instance, no re-creation: it reconnects by itself once the server is back.
        await server.RestartAsync(Ct);
        await WaitUntilAsync(() => db.IsAlive, TimeSpan.FromSeconds(20));
        Assert.True(await db.SetAsync("k", "again", ct: Ct));
        Assert.Equal("again", await db.GetAsync("k", Ct));
        Assert.True(await db.HealthAsync(Ct));
    }

    [Fact]
    public async Task ConnectAsync_returns_when_redis_is_down_and_works_once_it_comes_up()
    {
        var port = FreePort.Next();
        await using var db = await RedisDb.ConnectAsync(
            new RedisDbOptions { Host = $"127.0.0.1:{port}", OperationTimeout = TimeSpan.FromSeconds(1), ConnectTimeout = TimeSpan.FromSeconds(1) }, ct: Ct);
        Assert.False(db.IsAlive);
        var sw = Stopwatch.StartNew();
        Assert.Null(await db.GetAsync("k", Ct));
        Assert.False(await db.SetAsync("k", "v", ct: Ct));
        Assert.True(sw.Elapsed < (TimeSpan.FromSeconds(1) + Slack) * 2, $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task Wrong_password_is_logged_without_the_password()
    {
        await using var server = await RedisServerProcess.StartAsync(["--requirepass", "right-password"], Ct);
        using var logs = new CapturingLoggerFactory();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var db = await RedisDb.ConnectAsync(
            new RedisDbOptions { Host = server.Endpoint, Password = "wrong-password-xyz", OperationTimeout = TimeSpan.FromSeconds(1), ConnectTimeout = TimeSpan.FromSeconds(1) },
            loggerFactory, Ct);
        Assert.False(await db.SetAsync("k", "v", ct: Ct));
        Assert.DoesNotContain("wrong-password-xyz", logs.AllText(), StringComparison.Ordinal);

        await using var good = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint, Password = "right-password" }, loggerFactory, Ct);
        Assert.True(await good.SetAsync("k", "v", ct: Ct));
        Assert.DoesNotContain("right-password", logs.AllText(), StringComparison.Ordinal);
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan? limit = null) =>
        Poll.UntilAsync(condition, limit ?? TimeSpan.FromSeconds(10), "the condition", Ct);
}
