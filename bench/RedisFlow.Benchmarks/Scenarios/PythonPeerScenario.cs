using RedisFlow.Benchmarks.Cache;
using RedisFlow.Benchmarks.Harness;
using RedisFlow.Benchmarks.Peers;
using RedisFlow.Benchmarks.SeedPeer;
using StackExchange.Redis;

namespace RedisFlow.Benchmarks.Scenarios;

/// <summary>
/// <c>python-peer</c> (issue 14): RedisFlow's seed API beside the Python original it replaces, call for call, in one
/// run: produce, consume+ack, lock cycle, Get and Set one awaited call at a time, and the cache daemon's cycle beside
/// <c>cache_file_svr.main()</c>; with redis-server and both clients pinned to their own CPUs, then unpinned.
/// </summary>
public sealed class PythonPeerScenario : IScenario
{
    private const string PythonSide = "Python seed";
    private const string FlowSide = "RedisFlow";
    private const string RawSide = "raw StackExchange.Redis SET one at a time";

    /// <summary>Every SET sent at once on one connection: what redis-server itself can take of these bytes (its limit).</summary>
    private const string ServerLimitSide = "server limit: raw StackExchange.Redis SETs all pipelined";
    private const string RedisBenchmarkSide = "server limit: redis-benchmark SETs of the same sizes on new keys, 1 client";
    
    public string Name => "python-peer";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        var sizes = context.Sizes;
        var (small, large) = (FileSet.Both(sizes)[0], FileSet.Both(sizes)[1]);
        var result = new ScenarioResult(Name,
            $"RedisFlow's seed API vs RAGFlow's Python layer driven call for call by `bench/python/seed_peer.py` (redis-py from Debian's python3-redis; RAGFlow imports valkey-py, a fork with the same code paths). " +
            "Both sides are long-lived processes of their own, speaking one command a line, each started under the same placement; only the calls are timed. " +
            $"Produce = `queue_product` (XADD `{{\"message\": json}}`) vs `QueueProductAsync`; consume+ack = `queue_consumer` (XINFO GROUPS, XREADGROUP COUNT 1 BLOCK 5) + `get_message` + `ack` (XACK) vs `QueueConsumerAsync` (default 2 s block) + `GetMessage` + `AckAsync`, draining a stream filled beforehand; " +
            "lock cycle = a new `RedisDistributedLock` (seed defaults), acquire + release: Python = EVALSHA delete-if-equal, SET NX PX 10000, EVALSHA delete-if-equal; " +
            $"Get / Set = `get` / `set(k, v, 3600)` (SET EX 3600) of 64-byte values on {SeedCases.KvKeys:N0} keys vs `GetAsync` / `SetAsync`. Each of these: {sizes.SeedCalls:N0} calls, one awaited at a time. " +
            $"Cache = one cycle from the task query (SQLite, RAGFlow's tables) to the last file stored, cold Redis, files on local disk: Python = `cache_file_svr.main()` (per file: EXISTS, read, MULTI SET NX EX 720 EXEC, in turn); " +
            "RedisFlow = the cache daemon's cycle (`CacheCycle`, default `CacheOptions`) in a fresh process after one untimed cycle into another database; " +
            $"raw = the {small.Label} files read into memory first, then one StackExchange.Redis `SET key bytes EX 720` awaited at a time (in the RedisFlow process); " +
            "server limit = what redis-server itself takes: every SET of the same bytes sent at once through StackExchange.Redis, and `redis-benchmark -c 1 -d <size> -r 100000000 -t set` with as many requests of each file size as there are files (new keys, a cold Redis, under the same placement). " +
            $"Warm-up: {sizes.SeedWarmupCalls:N0} calls of each kind and one cache cycle on every side; then {sizes.SeedRounds} rounds, each running every case on every side in turn, the order reversed every other round. " +
            $"Pinned = redis-server on CPU {CpuPlacement.ServerCpu}, each client on CPU {CpuPlacement.ClientCpu} (taskset). MB = 10^6 bytes.");

        var smallFiles = small.Generate();
        var largeFiles = large.Generate();
        try
        {
            foreach (var placement in new[] { CpuPlacement.PinnedCpus, CpuPlacement.Unpinned })
            {
                await RunPlacementAsync(context, result, placement, [(small, smallFiles), (large, largeFiles)], ct).ConfigureAwait(false);
            }
        }
        finally
        {
            await CpuPlacement.Unpinned.ApplyToServerAsync(context.Server, CancellationToken.None).ConfigureAwait(false);
            await context.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>A row's name: what is measured, where, by whom.</summary>
    public static string RowName(string label, CpuPlacement placement, string side) => $"{label}, {placement.Label}, {side}";

    private static async Task RunPlacementAsync(BenchContext context, ScenarioResult result, CpuPlacement placement,
        IReadOnlyList<(FileSet Set, byte[][] Contents)> files, CancellationToken ct)
    {
        var sizes = context.Sizes;
        await using var raw = await context.ConnectRawAsync().ConfigureAwait(false);
        var rawDb = raw.GetDatabase(BenchContext.Database);
        using var mixed = await CacheWarmData.CreateAsync(files, ct).ConfigureAwait(false);
        using var smallOnly = await CacheWarmData.CreateAsync([files[0]], ct).ConfigureAwait(false);
        var mixedLengths = files.SelectMany(f => f.Contents.Select(c => c.Length)).ToArray();
        var smallLengths = files[0].Contents.Select(c => c.Length).ToArray();
        var mixedLabel = $"cache cycle, {string.Join(" + ", files.Select(f => f.Set.Label))}";
        var smallLabel = $"cache cycle, {files[0].Set.Label}";

        var values = new Dictionary<string, List<double>>();
        var failures = new Dictionary<string, string>();
        LineProtocolPeer? python = null;
        LineProtocolPeer? flow = null;
        try
        {
            if (placement.Unavailable is { } why)
            {
                throw new PeerUnavailableException(why);
            }

            await placement.ApplyToServerAsync(context.Server, ct).ConfigureAwait(false);
            flow = await PythonSeedPeer.StartRedisFlowAsync(context.Server, placement, ct).ConfigureAwait(false);
            try
            {
                python = await PythonSeedPeer.StartPythonAsync(context.Server, placement, ct).ConfigureAwait(false);
                context.Progress($"  {placement.Label}: Python peer on {python.Ready}, RedisFlow side on {flow.Ready}");
            }
            catch (PeerUnavailableException ex)
            {
                context.Progress($"  {placement.Label}: Python peer unavailable: {ex.Message}");
                failures[PythonSide] = ex.Message;
            }

            Side Peer(string side, LineProtocolPeer? peer, Func<LineProtocolPeer, int, Task<double>> run) =>
                new(side, calls => run(peer ?? throw new PeerUnavailableException(failures[side]), calls));

            Side[] Both(Func<LineProtocolPeer, string, int, Task<double>> run) =>
                [Peer(PythonSide, python, (p, n) => run(p, "py", n)), Peer(FlowSide, flow, (p, n) => run(p, "flow", n))];

            var ops = new Op[]
            {
                new("produce, one call at a time", "calls/s", PythonSide, 1.2, Both((peer, _, n) => SeedCases.ProduceAsync(peer, rawDb, n, ct))),
                new("consume+ack, one call at a time", "msg/s", PythonSide, 2, Both((peer, side, n) => SeedCases.ConsumeAsync(peer, rawDb, side, n, ct))),
                new("lock cycle (acquire+release), one at a time", "cycles/s", PythonSide, 1.5, Both((peer, _, n) => SeedCases.LockAsync(peer, rawDb, n, ct))),
                new("Get, one call at a time", "calls/s", PythonSide, 1.2, Both((peer, _, n) => peer.RateAsync($"get {SeedCases.KvPrefix} {SeedCases.KvKeys} {n}", SeedCases.CommandLimit, ct))),
                new("Set, one call at a time", "calls/s", PythonSide, 1.2, Both((peer, _, n) => peer.RateAsync($"set {SeedCases.KvPrefix} {SeedCases.KvKeys} {n}", SeedCases.CommandLimit, ct))),
                new(mixedLabel, "MB/s", PythonSide, 2,
                [
                    Peer(PythonSide, python, (p, _) => SeedCases.PythonCacheAsync(context, p, rawDb, mixed, mixedLengths, ct)),
                    Peer(ServerLimitSide, flow, (p, _) => SeedCases.RawCacheAsync(context, p, rawDb, mixed, mixedLengths, pipelined: true, ct)),
                    new(RedisBenchmarkSide, _ => SeedCases.RedisBenchmarkCacheAsync(context, placement, mixedLengths, ct)),
                    new(FlowSide, _ => SeedCases.DaemonCacheAsync(context, placement, rawDb, mixed, mixedLengths, ct)),
                ]),
                new(smallLabel, "MB/s", RawSide, 3,
                [
                    Peer(RawSide, flow, (p, _) => SeedCases.RawCacheAsync(context, p, rawDb, smallOnly, smallLengths, pipelined: false, ct)),
                    Peer(PythonSide, python, (p, _) => SeedCases.PythonCacheAsync(context, p, rawDb, smallOnly, smallLengths, ct)),
                    Peer(ServerLimitSide, flow, (p, _) => SeedCases.RawCacheAsync(context, p, rawDb, smallOnly, smallLengths, pipelined: true, ct)),
                    new(RedisBenchmarkSide, _ => SeedCases.RedisBenchmarkCacheAsync(context, placement, smallLengths, ct)),
                    new(FlowSide, _ => SeedCases.DaemonCacheAsync(context, placement, rawDb, smallOnly, smallLengths, ct)),
                ]),
            };

            async Task RunAsync(Op op, Side side, bool record)
            {
                var row = RowName(op.Label, placement, side.Name);
                if (failures.ContainsKey(row))
                {
                    return;
                }

                try
                {
                    var value = await side.Run(record ? sizes.SeedCalls : sizes.SeedWarmupCalls).ConfigureAwait(false);
                    if (record)
                    {
                        (values.TryGetValue(row, out var list) ? list : values[row] = []).Add(value);
                        context.Progress($"  {row}: {Format.Number(value)} {op.Unit}");
                    }
                }
                catch (Exception ex) when (ex is PeerUnavailableException or InvalidOperationException or RedisException)
                {
                    // A side that fails keeps its reason in the table instead of a number; the other sides go on.
                    failures[row] = ex.Message;
                    context.Progress($"  {row}: failed: {ex.Message}");
                }
            }

            await SeedCases.PrefillKeysAsync(rawDb).ConfigureAwait(false);
            foreach (var op in ops)
            {
                foreach (var side in op.Sides)
                {
                    await RunAsync(op, side, record: false).ConfigureAwait(false);
                }
            }

            for (var round = 0; round < sizes.SeedRounds; round++)
            {
                await SeedCases.PrefillKeysAsync(rawDb).ConfigureAwait(false);
                foreach (var op in ops)
                {
                    foreach (var side in round % 2 == 0 ? op.Sides : op.Sides.Reverse())
                    {
                        await RunAsync(op, side, record: true).ConfigureAwait(false);
                    }
                }
            }

            AddRows(result, placement, ops, values, failures);
        }
        catch (PeerUnavailableException ex)
        {
            // The placement itself cannot be made here (no second CPU, no taskset).
            context.Progress($"  {placement.Label}: unavailable: {ex.Message}");
            AddRows(result, placement, OpShapes(mixedLabel, smallLabel), values, failures, ex.Message);
        }
        finally
        {
            if (python is not null)
            {
                await python.DisposeAsync().ConfigureAwait(false);
            }

            if (flow is not null)
            {
                await flow.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void AddRows(ScenarioResult result, CpuPlacement placement, IEnumerable<Op> ops,
        Dictionary<string, List<double>> values, Dictionary<string, string> failures, string? unavailable = null)
    {
        foreach (var op in ops)
        {
            var baseline = RowName(op.Label, placement, op.Baseline);
            foreach (var side in op.Sides.OrderBy(s => s.Name == op.Baseline ? 0 : s.Name == FlowSide ? 2 : 1))
            {
                var name = RowName(op.Label, placement, side.Name);
                var of = side.Name == op.Baseline ? null : baseline;
                var reason = unavailable ?? (failures.TryGetValue(name, out var failure) ? failure : failures.GetValueOrDefault(side.Name)) ?? "not measured";
                var row = values.TryGetValue(name, out var list) && list.Count > 0
                    ? new ResultRow(name, op.Unit, new Sample(list), of)
                    : ResultRow.Unavailable(name, op.Unit, $"could not run: {reason}", of);
                result.Add(side.Name == FlowSide ? row.With(Target.RatioAtLeast(op.Factor, baseline, op.Baseline)) : row);
            }
        }
    }

    /// <summary>The rows of a placement that cannot run, for their names and units only.</summary>
    private static Op[] OpShapes(string mixedLabel, string smallLabel)
    {
        Side[] sides = [new(PythonSide, _ => Task.FromResult(0.0)), new(FlowSide, _ => Task.FromResult(0.0))];
        return
        [
            new("produce, one call at a time", "calls/s", PythonSide, 1.2, sides),
            new("consume+ack, one call at a time", "msg/s", PythonSide, 2, sides),
            new("lock cycle (acquire+release), one at a time", "cycles/s", PythonSide, 1.5, sides),
            new("Get, one call at a time", "calls/s", PythonSide, 1.2, sides),
            new("Set, one call at a time", "calls/s", PythonSide, 1.2, sides),
            new(mixedLabel, "MB/s", PythonSide, 2, [.. sides, new(ServerLimitSide, _ => Task.FromResult(0.0)), new(RedisBenchmarkSide, _ => Task.FromResult(0.0))]),
            new(smallLabel, "MB/s", RawSide, 3, [new(RawSide, _ => Task.FromResult(0.0)), new(ServerLimitSide, _ => Task.FromResult(0.0)), new(RedisBenchmarkSide, _ => Task.FromResult(0.0)), .. sides]),
        ];
    }

    /// <summary>One side of a case: runs it with a number of calls and returns its rate.</summary>
    private sealed record Side(string Name, Func<int, Task<double>> Run);

    /// <summary>A case measured on several sides; RedisFlow's row carries the target <see cref="Factor"/> × the baseline side.</summary>
    private sealed record Op(string Label, string Unit, string Baseline, double Factor, IReadOnlyList<Side> Sides);
}
