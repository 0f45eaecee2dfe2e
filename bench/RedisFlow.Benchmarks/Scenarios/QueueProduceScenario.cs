using RedisFlow.Benchmarks.Harness;
using RedisFlow.Benchmarks.Peers;
using RedisFlow.Benchmarks.Streams;
using StackExchange.Redis;

namespace RedisFlow.Benchmarks.Scenarios;

/// <summary>
/// <c>queue-produce</c>: <c>QueueProductAsync</c> vs raw <c>StreamAddAsync</c> of the same message, one at a time and
/// 16 in flight; the same with a replica attached, without and with <c>WAIT</c> (<see cref="DurableProduceRows"/>); BullMQ
/// adding jobs one at a time and in bulk; <c>redis-benchmark</c> XADD as the server's limit.
/// </summary>
public sealed class QueueProduceScenario : IScenario
{
    private const int InFlightProducers = 16;

    public string Name => "queue-produce";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        var sizes = context.Sizes;
        var result = new ScenarioResult(Name,
            $"One message = a RAGFlow-style task serialized to JSON per call, added as the seed's entry `{{\"message\": json}}`. " +
            $"1 producer = one awaited call at a time ({sizes.ProduceOpsOneClient:N0} adds), {InFlightProducers} in flight = {InFlightProducers} loops ({sizes.ProduceOpsInFlight:N0} adds). " +
            $"BullMQ {BullMq.Version}: `Queue.add` awaited one at a time, and `addBulk` of 1,000. redis-benchmark: {RedisBenchmarkTool.Clients} clients, `XADD key * message x`.");

        await using var raw = await context.ConnectRawAsync().ConfigureAwait(false);
        var rawDb = raw.GetDatabase(BenchContext.Database);
        await using var db = await context.ConnectRedisDbAsync(ct).ConfigureAwait(false);
        var costs = new CostMeter(context.Server);
        var cases = new List<BenchCase>();
        foreach (var (label, total, concurrency) in Shapes(sizes))
        {
            var rawCase = $"XADD, {label}, raw StreamAddAsync";
            cases.Add(new BenchCase(rawCase, costs.Measured(rawCase, total, async () =>
            {
                var stream = $"bench:produce:{Guid.NewGuid():N}";
                var rate = await InFlight.OpsPerSecondAsync(total, concurrency, i => RawStreams.AddAsync(rawDb, stream, i)).ConfigureAwait(false);
                await rawDb.KeyDeleteAsync(stream).ConfigureAwait(false);
                return rate;
            })));
            var flowCase = $"XADD, {label}, {FlowLabel}";
            cases.Add(new BenchCase(flowCase, costs.Measured(flowCase, total, async () =>
            {
                var stream = $"bench:produce:{Guid.NewGuid():N}";
                var rate = await InFlight.OpsPerSecondAsync(total, concurrency, i => RedisFlowStreams.ProduceAsync(db, stream, i)).ConfigureAwait(false);
                await rawDb.KeyDeleteAsync(stream).ConfigureAwait(false);
                return rate;
            })));
        }

        var samples = await context.RepeatAsync(cases, ct).ConfigureAwait(false);
        foreach (var (label, _, _) in Shapes(sizes))
        {
            var rawName = $"XADD, {label}, raw StreamAddAsync";
            result.Add(new ResultRow(rawName, "msg/s", samples[rawName]));
            var flowName = $"XADD, {label}, {FlowLabel}";
            var flow = new ResultRow(flowName, "msg/s", samples[flowName], rawName)
                .With(Target.RatioAtLeast(0.9, rawName, "raw"));
            if (label.Contains("in flight", StringComparison.Ordinal))
            {
                flow = flow.With(Target.RatioAtLeast(2, BulkName, "BullMQ addBulk"));
            }

            result.Add(flow);
        }

        // Where the in-flight rates come from: client and server CPU per message (steadier than the rates on this machine).
        var inFlight = $"{InFlightProducers} in flight";
        foreach (var name in new[] { $"XADD, {inFlight}, raw StreamAddAsync", $"XADD, {inFlight}, {FlowLabel}" })
        {
            if (costs.Row(name, "message", sizes.Repetitions) is { } costRow)
            {
                result.Add(costRow);
            }
        }

        result.Note($"Round by round (each RedisFlow run / the raw run just before it), {inFlight}: " +
            $"{PairedRatio.Describe(samples[$"XADD, {inFlight}, {FlowLabel}"], samples[$"XADD, {inFlight}, raw StreamAddAsync"])}.");

        await DurableProduceRows.AddAsync(context, result, Shapes(sizes), ct).ConfigureAwait(false);
        var bull = new BullMq(context.Server);
        result.Add(await PeerRows.MeasureAsync(context, $"BullMQ {BullMq.Version} Queue.add, one at a time", "msg/s",
            () => bull.AddAsync(sizes.BullMqAddOneAtATime, sizes.SlowRepetitions, bulk: false, ct)).ConfigureAwait(false));
        result.Add(await PeerRows.MeasureAsync(context, BulkName, "msg/s",
            () => bull.AddAsync(sizes.BullMqAddBulk, sizes.SlowRepetitions, bulk: true, ct)).ConfigureAwait(false));
        await AddServerLimitAsync(context, result, rawDb, ct).ConfigureAwait(false);
        return result;
    }

    private const string FlowLabel = "RedisFlow QueueProductAsync";

    private static string BulkName => $"BullMQ {BullMq.Version} Queue.addBulk (1,000 per call)";

    private static IEnumerable<(string Label, int Total, int Concurrency)> Shapes(BenchSizes sizes) =>
    [
        ("1 producer", sizes.ProduceOpsOneClient, 1),
        ($"{InFlightProducers} in flight", sizes.ProduceOpsInFlight, InFlightProducers),
    ];

    private static async Task AddServerLimitAsync(BenchContext context, ScenarioResult result, IDatabase db, CancellationToken ct)
    {
        var sizes = context.Sizes;
        foreach (var pipeline in new[] { 1, 16 })
        {
            var requests = pipeline == 1 ? sizes.RedisBenchmarkRequests : sizes.RedisBenchmarkPipelinedRequests;
            var rates = new List<double>();
            for (var rep = 0; rep < sizes.SlowRepetitions; rep++)
            {
                const string Stream = "bench:produce:redis-benchmark";
                var rate = (await RedisBenchmarkTool.RunAsync(context.Server, requests, pipeline, ["XADD", Stream, "*", "message", "x"], customCommand: true, ct).ConfigureAwait(false)).Values.Single();
                await db.KeyDeleteAsync(Stream).ConfigureAwait(false);
                rates.Add(rate);
                context.Progress($"  redis-benchmark XADD -P {pipeline}: {Format.Number(rate)}/s");
            }

            result.Add(new ResultRow($"XADD, server limit: redis-benchmark -c {RedisBenchmarkTool.Clients} -P {pipeline}", "msg/s", new Sample(rates)));
        }
    }
}
