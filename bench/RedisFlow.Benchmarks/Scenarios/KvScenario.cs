using RedisFlow.Benchmarks.Harness;
using RedisFlow.Benchmarks.Peers;
using StackExchange.Redis;

namespace RedisFlow.Benchmarks.Scenarios;

/// <summary>
/// <c>kv</c>: RedisDb Set/Get/Exist against the same StackExchange.Redis calls made directly, one call at a time
/// and with many in flight; <c>redis-benchmark</c> SET/GET as the server's limit.
/// </summary>
public sealed class KvScenario : IScenario
{
    private const int KeyCount = 1_000;
    private static readonly string Value = new('v', 64);

    public string Name => "kv";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        var sizes = context.Sizes;
        var result = new ScenarioResult(Name,
            $"RedisDb `SetAsync`/`GetAsync`/`ExistAsync` vs the same `IDatabase` calls (SET with EX 3600, GET decoded to string, EXISTS) on {KeyCount:N0} keys of 64-byte values; " +
            $"1 client = one awaited call at a time ({sizes.KvOpsOneClient:N0} calls), {sizes.InFlight} in flight = {sizes.InFlight} loops on one connection ({sizes.KvOpsInFlight:N0} calls). " +
            $"redis-benchmark (the server's limit): {RedisBenchmarkTool.Clients} clients, its default 3-byte values, -P 1 and -P 16.");
        var keys = Enumerable.Range(0, KeyCount).Select(i => $"bench:kv:{i}").ToArray();
        var redisKeys = keys.Select(k => (RedisKey)k).ToArray();
        var ttl = TimeSpan.FromSeconds(3600);

        await using var db = await context.ConnectRedisDbAsync(ct).ConfigureAwait(false);
        await using var raw = await context.ConnectRawAsync().ConfigureAwait(false);
        var rawDb = raw.GetDatabase(BenchContext.Database);
        foreach (var key in keys)
        {
            await rawDb.StringSetAsync(key, Value, ttl).ConfigureAwait(false);
        }

        var operations = new (string Op, Func<int, Task> Raw, Func<int, Task> Flow)[]
        {
            ("Set", i => rawDb.StringSetAsync(redisKeys[i % KeyCount], Value, ttl), i => db.SetAsync(keys[i % KeyCount], Value, 3600, ct)),
            ("Get", async i => _ = (string?)await rawDb.StringGetAsync(redisKeys[i % KeyCount]).ConfigureAwait(false), i => db.GetAsync(keys[i % KeyCount], ct)),
            ("Exist", i => rawDb.KeyExistsAsync(redisKeys[i % KeyCount]), i => db.ExistAsync(keys[i % KeyCount], ct)),
        };

        var costs = new CostMeter(context.Server);
        var cases = new List<BenchCase>();
        foreach (var (op, rawOp, flowOp) in operations)
        {
            foreach (var (label, total, concurrency) in new[] { ("1 client", sizes.KvOpsOneClient, 1), ($"{sizes.InFlight} in flight", sizes.KvOpsInFlight, sizes.InFlight) })
            {
                foreach (var (subject, operation) in new[] { ("raw IDatabase", rawOp), ("RedisDb", flowOp) })
                {
                    var name = $"{op}, {label}, {subject}";
                    cases.Add(new BenchCase(name, costs.Measured(name, total, () => InFlight.OpsPerSecondAsync(total, concurrency, operation))));
                }
            }
        }

        var samples = await context.RepeatAsync(cases, ct).ConfigureAwait(false);
        foreach (var bench in cases)
        {
            var isFlow = bench.Name.EndsWith("RedisDb", StringComparison.Ordinal);
            var rawName = bench.Name.Replace("RedisDb", "raw IDatabase", StringComparison.Ordinal);
            var row = new ResultRow(bench.Name, "ops/s", samples[bench.Name], isFlow ? rawName : null);
            result.Add(isFlow ? row.With(Target.RatioAtLeast(0.9, rawName, "raw")) : row);
        }

        var paired = cases.Where(c => c.Name.EndsWith("RedisDb", StringComparison.Ordinal))
            .Select(c => $"{c.Name}: {PairedRatio.Describe(samples[c.Name], samples[c.Name.Replace("RedisDb", "raw IDatabase", StringComparison.Ordinal)])}");
        result.Note($"Round by round (each RedisDb run / the raw run just before it): {string.Join("; ", paired)}.");

        // Where the in-flight rates come from: client and server CPU per call (steadier than the rates on this machine).
        foreach (var bench in cases.Where(c => c.Name.Contains(" in flight,", StringComparison.Ordinal)))
        {
            if (costs.Row(bench.Name, "call", sizes.Repetitions) is { } costRow)
            {
                result.Add(costRow);
            }
        }

        await AddServerLimitAsync(context, result, ct).ConfigureAwait(false);
        return result;
    }

    private static async Task AddServerLimitAsync(BenchContext context, ScenarioResult result, CancellationToken ct)
    {
        var sizes = context.Sizes;
        foreach (var pipeline in new[] { 1, 16 })
        {
            var requests = pipeline == 1 ? sizes.RedisBenchmarkRequests : sizes.RedisBenchmarkPipelinedRequests;
            var set = new List<double>();
            var get = new List<double>();
            for (var rep = 0; rep < sizes.SlowRepetitions; rep++)
            {
                var rates = await RedisBenchmarkTool.RunAsync(context.Server, requests, pipeline, ["set", "get"], customCommand: false, ct).ConfigureAwait(false);
                set.Add(rates["SET"]);
                get.Add(rates["GET"]);
                context.Progress($"  redis-benchmark -P {pipeline}: SET {Format.Number(rates["SET"])}/s, GET {Format.Number(rates["GET"])}/s");
            }

            result.Add(new ResultRow($"SET, server limit: redis-benchmark -c {RedisBenchmarkTool.Clients} -P {pipeline}", "ops/s", new Sample(set)));
            result.Add(new ResultRow($"GET, server limit: redis-benchmark -c {RedisBenchmarkTool.Clients} -P {pipeline}", "ops/s", new Sample(get)));
        }
    }
}
