using System.Diagnostics;
using RedisFlow.Benchmarks.Harness;
using RedisFlow.Benchmarks.Peers;
using RedisFlow.Benchmarks.Streams;
using StackExchange.Redis;

namespace RedisFlow.Benchmarks.Scenarios;

/// <summary>
/// <c>queue-consume</c>: draining a stream of N entries (consume, decode, ack) with RedisFlow's consumer and worker
/// host vs raw XREADGROUP/XACK loops at equal concurrency, and BullMQ processing as many jobs.
/// </summary>
public sealed class QueueConsumeScenario : IScenario
{
    private const string Group = "bench-group";
    private const int Handlers = 16;
    private const int RawBatch = 100;

    public string Name => "queue-consume";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        var sizes = context.Sizes;
        var entries = sizes.ConsumeEntries;
        var result = new ScenarioResult(Name,
            $"Each run fills a fresh stream with {entries:N0} entries in the seed's format (not timed), then times draining it: read, decode the JSON, ack; " +
            "every run checks that all entries were handled and none is left pending. Consumers of one process share one connection. " +
            $"BullMQ {BullMq.Version}: `addBulk` of the same number of jobs (not timed), then one Worker at concurrency 1 and {Handlers} until all completed (removeOnComplete).");

        await using var raw = await context.ConnectRawAsync().ConfigureAwait(false);
        var rawDb = raw.GetDatabase(BenchContext.Database);
        await using var db = await context.ConnectRedisDbAsync(ct).ConfigureAwait(false);

        BenchCase RawCase(string name, Func<string, Task<int>> drain) => TimedCase(name, async stream =>
        {
            var started = Stopwatch.GetTimestamp();
            var handled = await drain(stream).ConfigureAwait(false);
            return (handled, Stopwatch.GetElapsedTime(started));
        });

        // Every case drains a fresh stream filled the same way; the drain reports what it handled and how long it took.
        BenchCase TimedCase(string name, Func<string, Task<(int Handled, TimeSpan Elapsed)>> drain) => new(name, async _ =>
        {
            var stream = $"bench:consume:{Guid.NewGuid():N}";
            await RawStreams.ResetAsync(rawDb, stream, Group).ConfigureAwait(false);
            await RawStreams.FillAsync(rawDb, stream, entries).ConfigureAwait(false);
            var (handled, elapsed) = await drain(stream).ConfigureAwait(false);
            var rate = InFlight.Rate(handled, elapsed);
            await RawStreams.RequireAllAckedAsync(rawDb, stream, Group, entries, handled).ConfigureAwait(false);
            await rawDb.KeyDeleteAsync(stream).ConfigureAwait(false);
            return rate;
        });

        var raw1 = "1 consumer, raw XREADGROUP COUNT 1 + XACK";
        var raw4 = "4 consumers, raw XREADGROUP COUNT 1 + XACK";
        var raw16 = $"{Handlers} handlers in flight, raw XREADGROUP COUNT 1 + XACK";
        var rawBatched = $"1 consumer, raw XREADGROUP COUNT {RawBatch} + one XACK per batch";
        var flow1 = "1 consumer, RedisFlow QueueConsumerAsync + AckAsync";
        var flow4 = "4 consumers, RedisFlow QueueConsumerAsync + AckAsync";
        var worker = $"{Handlers} handlers in flight, RedisFlow QueueWorker host";
        var workerAhead = $"{Handlers} handlers in flight, RedisFlow QueueWorker host, ReadAhead {RawBatch - Handlers} (reads of {RawBatch})";
        var cases = new List<BenchCase>
        {
            RawCase(raw1, s => RawStreams.ConsumeOneByOneAsync(rawDb, s, Group, 1)),
            RawCase(raw4, s => RawStreams.ConsumeOneByOneAsync(rawDb, s, Group, 4)),
            RawCase(raw16, s => RawStreams.ConsumeOneByOneAsync(rawDb, s, Group, Handlers)),
            RawCase(rawBatched, s => RawStreams.ConsumeBatchedAsync(rawDb, s, Group, RawBatch)),
            RawCase(flow1, s => RedisFlowStreams.ConsumeAsync(db, s, Group, 1)),
            RawCase(flow4, s => RedisFlowStreams.ConsumeAsync(db, s, Group, 4)),
            TimedCase(worker, s => RedisFlowStreams.WorkerDrainAsync(db, s, Group, Handlers, entries, ct)),
            TimedCase(workerAhead, s => RedisFlowStreams.WorkerDrainAsync(db, s, Group, Handlers, entries, ct, RawBatch - Handlers)),
        };
        var samples = await context.RepeatAsync(cases, ct, slow: true).ConfigureAwait(false);

        var bull = new BullMq(context.Server);
        var bull1 = await PeerRows.MeasureAsync(context, $"BullMQ {BullMq.Version} Worker, concurrency 1", "msg/s",
            () => bull.ProcessAsync(entries, sizes.SlowRepetitions, 1, ct)).ConfigureAwait(false);
        var bull16 = await PeerRows.MeasureAsync(context, $"BullMQ {BullMq.Version} Worker, concurrency {Handlers}", "msg/s",
            () => bull.ProcessAsync(entries, sizes.SlowRepetitions, Handlers, ct)).ConfigureAwait(false);

        result.Add(new ResultRow(raw1, "msg/s", samples[raw1]));
        result.Add(new ResultRow(flow1, "msg/s", samples[flow1], raw1)
            .With(Target.RatioAtLeast(0.9, raw1, "raw")));
        result.Add(new ResultRow(raw4, "msg/s", samples[raw4]));
        result.Add(new ResultRow(flow4, "msg/s", samples[flow4], raw4)
            .With(Target.RatioAtLeast(0.9, raw4, "raw")));
        result.Add(new ResultRow(raw16, "msg/s", samples[raw16]));
        result.Add(new ResultRow(rawBatched, "msg/s", samples[rawBatched], raw16));
        result.Add(new ResultRow(worker, "msg/s", samples[worker], raw16)
            .With(Target.RatioAtLeast(0.9, raw16, "raw"), Target.RatioAtLeast(4, bull16.Name, $"BullMQ concurrency {Handlers}")));
        result.Add(new ResultRow(workerAhead, "msg/s", samples[workerAhead], raw16)
            .With(Target.RatioAtLeast(4, bull16.Name, $"BullMQ concurrency {Handlers}")));
        result.Add(bull1);
        result.Add(bull16);
        return result;
    }
}
