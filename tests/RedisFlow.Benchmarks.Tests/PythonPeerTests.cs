using RedisFlow.Benchmarks.Cache;
using RedisFlow.Benchmarks.Harness;
using RedisFlow.Benchmarks.Peers;
using RedisFlow.Benchmarks.Scenarios;
using RedisFlow.Benchmarks.Streams;
using RedisFlow.Embedded;
using StackExchange.Redis;

namespace RedisFlow.Benchmarks.Tests;

/// <summary>
/// The Python peer (bench/python/seed_peer.py) sends Redis exactly the seed's commands, counted by the server
/// itself (INFO commandstats) while the peer is its only client: the rows compare RedisFlow with what RAGFlow really
/// does, not with a lighter imitation.
/// </summary>
public sealed class PythonPeerTests
{
    private const int Calls = 10;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Each_seed_call_sends_the_seed_commands_and_nothing_else()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RedisServerProcess.StartAsync((IEnumerable<string>?)null, ct);
        const string Stream = "test:seed:consume";
        await using (var setup = await ConnectAsync(server))
        {
            var db = setup.GetDatabase(BenchContext.Database);
            await RawStreams.ResetAsync(db, Stream, "g");
            await RawStreams.FillAsync(db, Stream, Calls);
        }

        await using var python = await PythonSeedPeer.StartPythonAsync(server, CpuPlacement.Unpinned, ct);
        // Loads the delete-if-equal script, as the seed's first lock does (SCRIPT LOAD after a NOSCRIPT).
        await python.RateAsync("lock test:seed:warm 1", Limit, ct);

        Assert.Equal(new Dictionary<string, long> { ["xadd"] = Calls },
            await CommandsOfAsync(server, () => python.RateAsync($"produce test:seed:produce {Calls}", Limit, ct)));
        Assert.Equal(new Dictionary<string, long> { ["xinfo|groups"] = Calls, ["xreadgroup"] = Calls, ["xack"] = Calls },
            await CommandsOfAsync(server, () => python.RateAsync($"consume {Stream} g c {Calls}", Limit, ct)));
        // Three round trips a cycle: EVALSHA (finds nothing to delete), SET NX PX, EVALSHA (deletes). Commandstats
        // also counts the GET and DEL the scripts run inside the server.
        Assert.Equal(new Dictionary<string, long> { ["evalsha"] = 2 * Calls, ["set"] = Calls, ["get"] = 2 * Calls, ["del"] = Calls },
            await CommandsOfAsync(server, () => python.RateAsync($"lock test:seed:lock {Calls}", Limit, ct)));
        Assert.Equal(new Dictionary<string, long> { ["get"] = Calls },
            await CommandsOfAsync(server, () => python.RateAsync($"get test:seed:kv: 3 {Calls}", Limit, ct)));
        Assert.Equal(new Dictionary<string, long> { ["set"] = Calls },
            await CommandsOfAsync(server, () => python.RateAsync($"set test:seed:kv: 3 {Calls}", Limit, ct)));
    }

    [Fact]
    public async Task Cache_cycle_is_exists_then_multi_set_exec_per_ongoing_file_and_skips_cached_ones()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RedisServerProcess.StartAsync((IEnumerable<string>?)null, ct);
        var set = new FileSet("small", 3, 1000);
        using var data = await CacheWarmData.CreateAsync(set, set.Generate(), ct);
        await using var python = await PythonSeedPeer.StartPythonAsync(server, CpuPlacement.Unpinned, ct);

        Assert.Equal(new Dictionary<string, long> { ["exists"] = 3, ["multi"] = 3, ["set"] = 3, ["exec"] = 3 },
            await CommandsOfAsync(server, () => python.AskAsync($"cache {data.DatabaseFile} {data.Root}", Limit, ct)));
        await using (var check = await ConnectAsync(server))
        {
            var db = check.GetDatabase(BenchContext.Database);
            foreach (var key in data.Keys)
            {
                Assert.Equal(1000, await db.StringLengthAsync(key));
                var ttl = await db.KeyTimeToLiveAsync(key);
                Assert.InRange(ttl!.Value.TotalSeconds, 600, 720);
            }
        }

        // A second cycle finds every file cached: one EXISTS each, nothing written.
        var again = await python.AskAsync($"cache {data.DatabaseFile} {data.Root}", Limit, ct);
        Assert.Equal(0, again.GetProperty("cached").GetInt32());
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(RedisServerProcess server) =>
        ConnectionMultiplexer.ConnectAsync(server.Endpoint);

    /// <summary>The commands the server executed while <paramref name="run"/> ran (INFO left out), by name.</summary>
    private static async Task<Dictionary<string, long>> CommandsOfAsync<T>(RedisServerProcess server, Func<Task<T>> run)
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, before) = await CommandStats.ReadAsync(server, ct);
        await run();
        var (_, after) = await CommandStats.ReadAsync(server, ct);
        return after.Where(p => p.Key != "info")
            .Select(p => (p.Key, Delta: p.Value - before.GetValueOrDefault(p.Key)))
            .Where(p => p.Delta > 0)
            .ToDictionary(p => p.Key, p => p.Delta);
    }
}
