using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RedisFlow.Embedded;
using RedisFlow.Queues;
using RedisFlow.Testing;
using RedisFlow.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisFlow.Tests.Queues;

/// <summary>
/// A <see cref="QueueWorker"/> next to real Python processes (redis-py) acting as RAGFlow's producer and task
/// executors, on RAGFlow's queue and group names: priority order, a live executor's long task left alone, a dead
/// one's taken over, and a registered worker's heartbeat read the way RAGFlow's status API reads it.
/// </summary>
public sealed class RagflowExecutorInteropTests : IAsyncLifetime
{
    private const string High = "te.1.common";
    private const string Low = "te.0.common";
    private const string Group = "rag_flow_svr_task_broker";

    private RedisServerProcess? _server;
    private RedisDb? _db;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RedisServerProcess Server => _server!;

    private RedisDb Db => _db!;

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServerProcess.StartAsync(ct: Ct);
        _db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = _server.Endpoint, Db = 0 }, ct: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_worker_over_two_queues_takes_every_high_entry_before_any_low_one_when_both_have_a_backlog(int concurrency)
    {
        // Python produces the low backlog first, so its entries are older than every high one.
        Assert.Equal(20, Lines(await PythonAsync("ragflow_redis_peer.py", "produce", Low, "20", "low")).Length);
        Assert.Equal(20, Lines(await PythonAsync("ragflow_redis_peer.py", "produce", High, "20", "high")).Length);

        var order = new ConcurrentQueue<string>();
        var highLagAtLowStart = new ConcurrentBag<long?>();
        await using var worker = await RunningWorker.StartAsync(Db, new QueueWorkerOptions
        {
            QueueNames = { High, Low },
            GroupName = Group,
            ConsumerName = "task_executor_dotnet_0",
            Concurrency = concurrency,
            BlockTimeout = TimeSpan.FromMilliseconds(500),
            TrimInterval = TimeSpan.Zero,
        }, async (m, ct) =>
        {
            var id = m.GetMessage().GetProperty("id").GetString()!;
            if (m.QueueName == Low)
            {
                // Nothing of the high queue may still wait undelivered once a low entry is handed out.
                highLagAtLowStart.Add((await Db.QueueInfoAsync(High, Group, ct))?.Lag);
            }

            order.Enqueue(id);
        });

        await Poll.UntilAsync(() => order.Count == 40, TimeSpan.FromSeconds(30), "40 entries handled", Ct);
        Assert.All(highLagAtLowStart, lag => Assert.Equal(0, lag));
        var handled = order.ToArray();
        Assert.Equal(20, handled.Count(i => i.StartsWith("high-", StringComparison.Ordinal)));
        if (concurrency == 1)
        {
            // One handler: the order is exact, every high entry (oldest first) before any low one.
            Assert.Equal([.. Enumerable.Range(0, 20).Select(i => $"high-{i}"), .. Enumerable.Range(0, 20).Select(i => $"low-{i}")], handled);
        }
    }

    [Fact]
    public async Task A_live_python_executors_long_task_is_not_stolen_and_is_claimed_once_the_executor_is_dead()
    {
        var stopKey = "test:stop:" + Guid.NewGuid().ToString("N");
        const string executor = "task_executor_common_0";
        await PythonAsync("ragflow_redis_peer.py", "produce", Low, "1", "long");

        // The Python executor takes the task, heartbeats every 200 ms, and never acknowledges it.
        var python = PythonAsync("ragflow_executor_peer.py", "executor", Low, Group, executor, stopKey, "200");
        await Poll.UntilAsync(async () => (await Db.GetPendingMsgAsync(Low, Group, ct: Ct)).Any(p => p.Consumer == executor),
            TimeSpan.FromSeconds(20), "the Python executor holding the task", Ct);

        using var logs = new CapturingLoggerFactory();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var handled = new ConcurrentQueue<string>();
        var entryIds = new ConcurrentQueue<string>();
        using var worker = new QueueWorker(Db, new QueueWorkerOptions
        {
            QueueNames = { High, Low },
            GroupName = Group,
            ConsumerName = "task_executor_dotnet_0",
            BlockTimeout = TimeSpan.FromMilliseconds(300),
            ClaimIdleTime = TimeSpan.FromMilliseconds(100),
            ClaimInterval = TimeSpan.FromMilliseconds(100),
            ExecutorHeartbeatTimeout = TimeSpan.FromSeconds(3),
            TrimInterval = TimeSpan.Zero,
        }, (m, _) =>
        {
            entryIds.Enqueue(m.Id);
            handled.Enqueue(m.GetMessage().GetProperty("id").GetString()!);
            return Task.CompletedTask;
        }, factory);
        await worker.StartAsync(Ct);
        try
        {
            // Several claim passes saw the task idle far past the claim idle time and left it to its live owner.
            await Poll.UntilAsync(() => SkippedPasses(logs) >= 5, TimeSpan.FromSeconds(30), "five claim passes leaving the task alone", Ct);
            Assert.False(python.IsCompleted, "the Python executor was still alive");
            Assert.Empty(handled);
            var held = Assert.Single(await Db.GetPendingMsgAsync(Low, Group, ct: Ct));
            Assert.Equal(executor, held.Consumer);
            Assert.True(held.Idle > TimeSpan.FromMilliseconds(100));

            // The executor dies (its process ends without acknowledging); once its heartbeat is stale the task moves.
            await (await Db.GetDatabaseAsync(Ct)).StringSetAsync(stopKey, "1");
            var id = Lines(await python.WaitAsync(TimeSpan.FromSeconds(60), Ct)).Single();
            await Poll.UntilAsync(() => handled.Contains("long-0"), TimeSpan.FromSeconds(30), "the task claimed after the executor died", Ct);
            Assert.Equal(["long-0"], handled);
            await Poll.UntilAsync(async () => (await Db.GetPendingMsgAsync(Low, Group, ct: Ct)).Count == 0, TimeSpan.FromSeconds(20), "the task acknowledged", Ct);
            Assert.Equal([id], entryIds);
        }
        finally
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await worker.StopAsync(limit.Token);
        }
    }

    [Fact]
    public async Task A_registered_worker_is_listed_with_a_heartbeat_ragflow_reads_and_removes_a_dead_executor()
    {
        const string name = "task_executor_dotnet_7";
        const string dead = "task_executor_common_9";
        var raw = await Db.GetDatabaseAsync(Ct);
        // An executor that died long ago: registered, last heartbeat 10 minutes old.
        await raw.SetAddAsync("TASKEXE", dead);
        await raw.SortedSetAddAsync(dead, "{\"name\": \"" + dead + "\"}", DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds() / 1000.0);
        await Db.QueueProductAsync(High, new { id = "t1" }, Ct);

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = await RunningWorker.StartAsync(Db, new QueueWorkerOptions
        {
            QueueNames = { High, Low },
            GroupName = Group,
            ConsumerName = name,
            BlockTimeout = TimeSpan.FromMilliseconds(500),
            TrimInterval = TimeSpan.Zero,
            RegisterAsRagflowExecutor = true,
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            ExecutorHeartbeatTimeout = TimeSpan.FromSeconds(60),
        }, (_, _) =>
        {
            done.TrySetResult();
            return Task.CompletedTask;
        });
        await done.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        await Poll.UntilAsync(async () => !await raw.SetContainsAsync("TASKEXE", dead) && !await raw.KeyExistsAsync(dead),
            TimeSpan.FromSeconds(20), "the dead executor removed", Ct);
        JsonElement beat = default;
        await Poll.UntilAsync(async () =>
        {
            using var fleet = JsonDocument.Parse(await PythonAsync("ragflow_executor_peer.py", "status"));
            if (!fleet.RootElement.TryGetProperty(name, out var beats) || beats.GetArrayLength() == 0
                || beats[beats.GetArrayLength() - 1].GetProperty("done").GetInt64() < 1)
            {
                return false;
            }

            beat = beats[beats.GetArrayLength() - 1].Clone();
            return true;
        }, TimeSpan.FromSeconds(20), "a heartbeat after the entry was handled", Ct);

        Assert.Equal(["ip_address", "pid", "name", "now", "boot_at", "pending", "lag", "done", "failed", "current"],
            beat.EnumerateObject().Select(p => p.Name));
        Assert.Equal(name, beat.GetProperty("name").GetString());
        Assert.Equal(Environment.ProcessId, beat.GetProperty("pid").GetInt32());
        Assert.Equal(0, beat.GetProperty("failed").GetInt64());
        Assert.Equal(JsonValueKind.Object, beat.GetProperty("current").ValueKind);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$", beat.GetProperty("now").GetString());
        Assert.True(await raw.SetContainsAsync("TASKEXE", name));

        // A graceful stop leaves the fleet, so what this worker still held becomes claimable at once.
        await worker.DisposeAsync();
        // A bounded wait rather than one look. This failed once on a starved machine (load 40+): TASKEXE still named
        // the worker right after the stop. The cause is not established (a beat's SADD read late by the server is
        // the suspect); if it is that, this wait fails too, which is the point.
        await Poll.UntilAsync(async () => !await raw.SetContainsAsync("TASKEXE", name) && !await raw.KeyExistsAsync(name),
            TimeSpan.FromSeconds(10), "the stopped worker gone from TASKEXE and its heartbeat set deleted", Ct);
    }

    private static int SkippedPasses(CapturingLoggerFactory logs) =>
        logs.Entries.Count(e => e.Message.Contains("left 1 idle entries alone", StringComparison.Ordinal));

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private Task<string> PythonAsync(string script, params string[] args) =>
        PythonPeer.RunAsync(Path.Combine(AppContext.BaseDirectory, "Python", script), [Server.Port.ToString(CultureInfo.InvariantCulture), .. args], Ct);
}
