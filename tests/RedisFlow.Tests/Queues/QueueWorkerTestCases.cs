using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RedisFlow.DependencyInjection;
using RedisFlow.Queues;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Queues;

/// <summary>The worker host on every topology: concurrency, shutdown, recovery, claiming, keep-alive, poison, trimming.</summary>
public abstract class QueueWorkerTestCases(IRedisTopology topology) : QueueTopologyTestBase(topology)
{
    [Fact]
    public async Task Runs_exactly_N_handlers_at_once_and_handles_and_acks_every_entry()
    {
        var queue = Key();
        for (var i = 0; i < 200; i++)
        {
            await Db.QueueProductAsync(queue, new { i }, Ct);
        }

        var seen = new ConcurrentDictionary<int, int>();
        var current = 0;
        var max = 0;
        var allFour = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = await RunningWorker.StartAsync(Db, Options(queue, o => o.Concurrency = 4), async (m, ct) =>
        {
            var now = Interlocked.Increment(ref current);
            InterlockedMax(ref max, now);
            if (now == 4)
            {
                allFour.TrySetResult();
            }

            // The first handlers wait until four run together: proof that N handlers really run at once.
            await allFour.Task.WaitAsync(TimeSpan.FromSeconds(20), ct);
            seen.AddOrUpdate(m.GetMessage().GetProperty("i").GetInt32(), 1, (_, n) => n + 1);
            Interlocked.Decrement(ref current);
        });

        await WaitUntilAsync(async () => seen.Count == 200 && (await Db.QueueInfoAsync(queue, "g", Ct))?.Pending == 0, what: "200 entries handled and acked");
        Assert.Equal(4, max);
        Assert.All(seen.Values, n => Assert.Equal(1, n));
        Assert.Equal(200, worker.Worker.HandledCount);
    }

    [Fact]
    public async Task By_default_a_worker_holds_no_more_entries_than_it_has_handlers()
    {
        // Ten entries wait; two handlers block. A worker reading ahead would have taken more in its first read.
        var queue = Key();
        for (var i = 0; i < 10; i++)
        {
            await Db.QueueProductAsync(queue, new { i }, Ct);
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        await using var worker = await RunningWorker.StartAsync(Db, Options(queue, o => o.Concurrency = 2), async (m, ct) =>
        {
            Interlocked.Increment(ref running);
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        });
        await WaitUntilAsync(() => Volatile.Read(ref running) == 2, what: "two handlers running");

        var info = await Db.QueueInfoAsync(queue, "g", Ct);
        Assert.Equal(2, info!.Pending);
        Assert.Equal(8, info.Lag);
        Assert.Equal(2, worker.Worker.InFlightCount);
        gate.SetResult();
        await WaitUntilAsync(async () => (await Db.QueueInfoAsync(queue, "g", Ct)) is { Pending: 0, Lag: 0 }, what: "all ten handled");
        Assert.Equal(10, worker.Worker.HandledCount);
    }

    [Fact]
    public async Task With_read_ahead_a_worker_holds_that_many_more_entries_but_runs_only_its_handlers()
    {
        var queue = Key();
        for (var i = 0; i < 10; i++)
        {
            await Db.QueueProductAsync(queue, new { i }, Ct);
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var max = 0;
        await using var worker = await RunningWorker.StartAsync(Db, Options(queue, o =>
        {
            o.Concurrency = 2;
            o.ReadAhead = 3;
        }), async (m, ct) =>
        {
            InterlockedMax(ref max, Interlocked.Increment(ref running));
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            Interlocked.Decrement(ref running);
        });
        await WaitUntilAsync(async () => Volatile.Read(ref running) == 2 && (await Db.QueueInfoAsync(queue, "g", Ct))?.Pending == 5,
            what: "two handlers running and five entries held");

        Assert.Equal(5, worker.Worker.InFlightCount);
        Assert.Equal(5, (await Db.QueueInfoAsync(queue, "g", Ct))!.Lag);
        gate.SetResult();
        await WaitUntilAsync(async () => (await Db.QueueInfoAsync(queue, "g", Ct)) is { Pending: 0, Lag: 0 }, what: "all ten handled");
        Assert.Equal(10, worker.Worker.HandledCount);
        Assert.Equal(2, max);
    }

    [Fact]
    public async Task A_backlog_of_short_entries_is_drained_by_batched_reads_and_acks_exactly_once()
    {
        // Many more entries than handlers: the pipelined reads without BLOCK and the coalesced acks must neither lose
        // nor repeat an entry.
        var queue = Key();
        const int entries = 2_000;
        for (var i = 0; i < entries; i++)
        {
            await Db.QueueProductAsync(queue, new { i }, Ct);
        }

        var seen = new ConcurrentDictionary<int, int>();
        await using var worker = await RunningWorker.StartAsync(Db, Options(queue, o => o.Concurrency = 16), (m, ct) =>
        {
            seen.AddOrUpdate(m.GetMessage().GetProperty("i").GetInt32(), 1, (_, n) => n + 1);
            return Task.CompletedTask;
        });

        await WaitUntilAsync(async () => worker.Worker.HandledCount == entries && (await Db.QueueInfoAsync(queue, "g", Ct)) is { Pending: 0, Lag: 0 },
            what: "every entry handled and acked");
        Assert.Equal(entries, seen.Count);
        Assert.All(seen.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Graceful_stop_waits_for_running_handlers_and_acks_them_and_reads_nothing_more()
    {
        var queue = Key();
        for (var i = 0; i < 3; i++)
        {
            await Db.QueueProductAsync(queue, new { i }, Ct);
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var finished = 0;
        var worker = await RunningWorker.StartAsync(Db, Options(queue, o => o.Concurrency = 3), async (m, ct) =>
        {
            Interlocked.Increment(ref started);
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Interlocked.Increment(ref finished);
        });
        await WaitUntilAsync(() => Volatile.Read(ref started) == 3, what: "three handlers running");

        var stopping = worker.Worker.StopAsync(Ct);
        Assert.False(stopping.IsCompleted); // still waiting for the three handlers
        await Db.QueueProductAsync(queue, new { late = true }, Ct);
        gate.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        await worker.DisposeAsync();

        Assert.Equal(3, finished);
        Assert.Equal(3, worker.Worker.HandledCount);
        var info = await Db.QueueInfoAsync(queue, "g", Ct);
        Assert.Equal(0, info!.Pending); // all three acked before stop returned
        Assert.Equal(1, info.Lag); // the late entry was not read
    }

    [Fact]
    public async Task Recovers_its_own_unacked_entries_at_start()
    {
        var queue = Key();
        for (var i = 0; i < 3; i++)
        {
            await Db.QueueProductAsync(queue, new { i }, Ct);
            Assert.NotNull(await Db.QueueConsumerAsync(queue, "g", "w1", TimeSpan.Zero, ct: Ct)); // delivered, never acked: a crash
        }

        var deliveries = new ConcurrentBag<long>();
        await using var worker = await RunningWorker.StartAsync(Db, Options(queue, o =>
        {
            o.ConsumerName = "w1";
            o.ClaimIdleTime = TimeSpan.FromMinutes(10); // only recovery can find them
        }), (m, _) =>
        {
            deliveries.Add(m.DeliveryCount);
            return Task.CompletedTask;
        });

        await WaitUntilAsync(async () => deliveries.Count == 3 && (await Db.QueueInfoAsync(queue, "g", Ct))?.Pending == 0, what: "three recovered entries handled");
        Assert.All(deliveries, d => Assert.Equal(2, d));
    }

    [Fact]
    public async Task Claims_entries_stalled_at_another_consumer_after_the_idle_time()
    {
        var queue = Key();
        for (var i = 0; i < 3; i++)
        {
            await Db.QueueProductAsync(queue, new { i }, Ct);
            Assert.NotNull(await Db.QueueConsumerAsync(queue, "g", "old-container-name", TimeSpan.Zero, ct: Ct));
        }

        var handled = new ConcurrentBag<string>();
        await using var worker = await RunningWorker.StartAsync(Db, Options(queue, o =>
        {
            o.ConsumerName = "new-container-name";
            o.ClaimIdleTime = TimeSpan.FromMilliseconds(200);
            o.ClaimInterval = TimeSpan.FromMilliseconds(100);
        }), (m, _) =>
        {
            handled.Add(m.ConsumerName);
            return Task.CompletedTask;
        });

        await WaitUntilAsync(async () => handled.Count == 3 && (await Db.QueueInfoAsync(queue, "g", Ct))?.Pending == 0, what: "stalled entries claimed and handled");
        Assert.All(handled, c => Assert.Equal("new-container-name", c));
    }

    [Fact]
    public async Task A_handler_running_longer_than_the_idle_time_is_kept_alive_and_not_claimed_by_another_worker()
    {
        var queue = Key();
        var options = (string consumer) => Options(queue, o =>
        {
            o.ConsumerName = consumer;
            // Keep-alive every 2 s against a 6 s claim: seconds of slack for a starved keep-alive loop on a loaded CI machine.
            o.ClaimIdleTime = TimeSpan.FromSeconds(6);
            o.ClaimInterval = TimeSpan.FromMilliseconds(500);
        });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = new ConcurrentBag<string>();
        await using var a = await RunningWorker.StartAsync(Db, options("a"), async (m, _) =>
        {
            calls.Add("a");
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        });
        await Db.QueueProductAsync(queue, new { long_task = true }, Ct);
        await WaitUntilAsync(() => calls.Count == 1, what: "worker a handling the entry");
        await using var b = await RunningWorker.StartAsync(Db, options("b"), (m, _) =>
        {
            calls.Add("b");
            return Task.CompletedTask;
        });

        // Watch the entry's idle time fall back twice: worker a keeps it alive while b keeps looking for stalled entries.
        var resets = 0;
        var lastIdle = TimeSpan.Zero;
        await WaitUntilAsync(async () =>
        {
            var pending = Assert.Single(await Db.GetPendingMsgAsync(queue, "g", ct: Ct));
            Assert.Equal("a", pending.Consumer);
            Assert.Equal(1, pending.DeliveryCount); // never claimed
            if (pending.Idle < lastIdle)
            {
                resets++;
            }

            lastIdle = pending.Idle;
            return resets >= 2;
        }, TimeSpan.FromSeconds(60), "two keep-alives");

        gate.SetResult();
        await WaitUntilAsync(async () => (await Db.QueueInfoAsync(queue, "g", Ct))?.Pending == 0, what: "the entry acked");
        Assert.Equal(["a"], calls);
    }

    [Fact]
    public async Task Poison_and_over_limit_entries_end_in_the_dead_letter_stream_while_the_worker_keeps_consuming()
    {
        var queue = Key();
        var raw = await RawAsync();
        var failCalls = 0;
        var good = new ConcurrentBag<int>();
        await using var worker = await RunningWorker.StartAsync(Db, Options(queue, o =>
        {
            o.MaxDeliveries = 2;
            o.ClaimIdleTime = TimeSpan.FromMilliseconds(150);
            o.ClaimInterval = TimeSpan.FromMilliseconds(50);
        }), (m, _) =>
        {
            if (m.GetMessage().TryGetProperty("fail", out var _))
            {
                Interlocked.Increment(ref failCalls);
                throw new InvalidOperationException("this entry always fails");
            }

            good.Add(m.GetMessage().GetProperty("i").GetInt32());
            return Task.CompletedTask;
        });

        await Db.QueueProductAsync(queue, new { i = 0 }, Ct);
        await raw.StreamAddAsync(queue, "not_message", "x");
        await raw.StreamAddAsync(queue, "message", "{\"broken\": ");
        var failing = await Db.QueueProductWithIdAsync(queue, new { fail = true }, Ct);
        for (var i = 1; i <= 4; i++)
        {
            await Db.QueueProductAsync(queue, new { i }, Ct);
        }

        await WaitUntilAsync(async () => (await Db.GetDeadLettersAsync(queue, ct: Ct)).Count == 3, TimeSpan.FromSeconds(30), "three dead letters");
        await Db.QueueProductAsync(queue, new { i = 5 }, Ct);
        // At-least-once: with a 150 ms claim time on a loaded machine an entry whose ack is still in the coalescing
        // batch can be claimed and handled again, so count distinct entries.
        await WaitUntilAsync(async () => good.Distinct().Count() == 6 && (await Db.QueueInfoAsync(queue, "g", Ct))?.Pending == 0, TimeSpan.FromSeconds(30), "good entries handled");

        var dead = await Db.GetDeadLettersAsync(queue, ct: Ct);
        Assert.Equal(
            new[] { DeadLetterReasons.MissingMessage, DeadLetterReasons.InvalidJson, DeadLetterReasons.TooManyDeliveries }.Order(StringComparer.Ordinal),
            dead.Select(d => d.Reason).Order(StringComparer.Ordinal));
        var overLimit = Assert.Single(dead, d => d.Reason == DeadLetterReasons.TooManyDeliveries);
        Assert.Equal(failing, overLimit.SourceId);
        Assert.Equal(3, overLimit.Deliveries);
        Assert.Equal(2, failCalls);
        Assert.Equal([0, 1, 2, 3, 4, 5], good.Distinct().Order());
    }

    [Fact]
    public async Task Worker_trims_acknowledged_entries_periodically()
    {
        var queue = Key();
        for (var i = 0; i < 20; i++)
        {
            await Db.QueueProductAsync(queue, new { i }, Ct);
        }

        var handled = 0;
        await using var worker = await RunningWorker.StartAsync(Db, Options(queue, o => o.TrimInterval = TimeSpan.FromMilliseconds(100)), (_, _) =>
        {
            Interlocked.Increment(ref handled);
            return Task.CompletedTask;
        });

        await WaitUntilAsync(async () => Volatile.Read(ref handled) == 20 && await Db.QueueLengthAsync(queue, Ct) == 0, what: "the stream trimmed to empty");
    }

    [Fact]
    public async Task AddQueueWorker_registers_a_hosted_worker_with_a_scoped_handler()
    {
        var queue = Key();
        var services = new ServiceCollection();
        services.AddRedisDb(CopyOptionsTo);
        services.AddSingleton<ConcurrentBag<string>>();
        services.AddQueueWorker<RecordingHandler>(o =>
        {
            o.QueueName = queue;
            o.GroupName = "g";
            o.ConsumerName = "di";
        });
        await using var provider = services.BuildServiceProvider();
        var hosted = Assert.Single(provider.GetServices<IHostedService>());
        Assert.IsType<QueueWorker>(hosted);
        await hosted.StartAsync(Ct);
        try
        {
            await Db.QueueProductAsync(queue, new { hello = "di" }, Ct);
            var seen = provider.GetRequiredService<ConcurrentBag<string>>();
            await WaitUntilAsync(() => seen.Count == 1, what: "the DI handler ran");
            Assert.Equal("di", Assert.Single(seen));
        }
        finally
        {
            await hosted.StopAsync(Ct);
        }

        Assert.Throws<RedisFlowConfigurationException>(() => new ServiceCollection().AddQueueWorker<RecordingHandler>(o => o.QueueName = ""));
    }

    private static QueueWorkerOptions Options(string queue, Action<QueueWorkerOptions>? configure = null)
    {
        var options = new QueueWorkerOptions
        {
            QueueName = queue,
            GroupName = "g",
            ConsumerName = "w",
            BlockTimeout = TimeSpan.FromMilliseconds(500),
            TrimInterval = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        return options;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private sealed class RecordingHandler(ConcurrentBag<string> seen) : IQueueMessageHandler
    {
        public Task HandleAsync(RedisMsg message, CancellationToken ct)
        {
            seen.Add(message.GetMessage().GetProperty("hello").GetString()!);
            return Task.CompletedTask;
        }
    }
}

public sealed class StandaloneQueueWorkerTests(RedisFixture fixture) : QueueWorkerTestCases(fixture);

public sealed class ClusterQueueWorkerTests(ClusterFixture fixture) : QueueWorkerTestCases(fixture);
