using System.Diagnostics;
using RedisFlow.Embedded;
using RedisFlow.Locking;
using RedisFlow.Testing;
using RedisFlow.Testing.Topologies;
using RedisFlow.Transport;

namespace RedisFlow.Tests.Transport;

/// <summary>
/// The lean connection (the latency path for one-at-a-time seed calls) against real servers: it answers with the
/// multiplexer's results, switches itself off when its credentials are refused, keeps TLS, hands redirections and
/// a paused server back to the multiplexer within the operation timeout, and follows a Sentinel switch-over.
/// Each test owns its server(s).
/// </summary>
public sealed class LeanConnectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Seed_calls_answer_on_the_lean_connection_with_the_multiplexers_results()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint, Db = 3 }, ct: Ct);
        await WaitForLeanAsync(db, "lean:warm");

        var before = db.Lean!.LeanCalls;
        Assert.True(await db.SetAsync("lean:k", "välue", 60, Ct));
        Assert.Equal("välue", await db.GetAsync("lean:k", Ct));
        Assert.Equal("välue"u8.ToArray(), await db.GetBytesAsync("lean:k", Ct));
        Assert.True(await db.ExistAsync("lean:k", Ct));
        Assert.False(await db.ExistAsync("lean:none", Ct));
        Assert.Null(await db.GetAsync("lean:none", Ct));

        Assert.True(await db.QueueProductAsync("lean:q", new { n = 1 }, Ct));
        var id = await db.QueueProductWithIdAsync("lean:q", new { n = 2 }, Ct);
        Assert.NotNull(id);
        var first = await db.QueueConsumerAsync("lean:q", "g", "c", ct: Ct);
        Assert.NotNull(first);
        Assert.Equal(1, first.GetMessage().GetProperty("n").GetInt32());
        Assert.True(await first.AckAsync(Ct));
        var second = await db.QueueConsumerAsync("lean:q", "g", "c", ct: Ct);
        Assert.NotNull(second);
        Assert.Equal(id, second.Id);
        Assert.True(await second.AckAsync(Ct));
        Assert.Empty(await db.GetPendingMsgAsync("lean:q", "g", ct: Ct));

        await using var gate = new RedisDistributedLock(db, "lean:lock", blockingTimeout: TimeSpan.Zero);
        await using var other = new RedisDistributedLock(db, "lean:lock", blockingTimeout: TimeSpan.Zero);
        Assert.True(await gate.AcquireAsync(Ct));
        var token = gate.FencingToken;
        Assert.False(await other.AcquireAsync(Ct));
        await gate.ReleaseAsync();
        Assert.True(await other.AcquireAsync(Ct));
        Assert.True(other.FencingToken > token);
        await other.ReleaseAsync();

        // Every call above but the first (blocking) read and the pending list can go lean.
        Assert.True(db.Lean.LeanCalls - before >= 12, $"only {db.Lean.LeanCalls - before} calls went lean");
        // Only the two lock scripts' first EVALSHA (NOSCRIPT on a fresh server) went to the multiplexer, which loaded them.
        Assert.InRange(db.Lean.HandedOver, 0, 2);
        // Everything landed in the configured database.
        Assert.Contains("välue", await server.SendRawAsync(Ct, "EVAL", "redis.call('SELECT', 3) return redis.call('GET', 'lean:k')", "0"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_LeanConnection_off_every_call_goes_through_the_multiplexer()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint, LeanConnection = false }, ct: Ct);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(await db.SetAsync("k", "v", 60, Ct));
            Assert.Equal("v", await db.GetAsync("k", Ct));
        }

        Assert.Null(db.Lean);
    }

    [Fact]
    public async Task A_refused_password_switches_the_lean_path_off_and_it_never_continues_as_default()
    {
        // A stock server: "default" is on without a password, so a client that ignored a refused AUTH would carry on as it.
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        var user = "lean-" + Guid.NewGuid().ToString("N")[..8];
        Assert.StartsWith("+OK", await server.SendRawAsync(Ct, "ACL", "SETUSER", user, "on", ">first-Pa55", "~*", "&*", "+@all"), StringComparison.Ordinal);
        await using var db = await RedisDb.ConnectAsync(
            new RedisDbOptions { Host = server.Endpoint, Username = user, Password = "first-Pa55", ClientName = "lean-auth-test" }, ct: Ct);
        Assert.True(await db.HealthAsync(Ct));

        // The multiplexer stays authenticated; the lean connection, opened on the first seed call below, presents a wrong password.
        Assert.StartsWith("+OK", await server.SendRawAsync(Ct, "ACL", "SETUSER", user, "resetpass", ">second-Pa55"), StringComparison.Ordinal);
        Assert.Null(db.Lean);
        Assert.True(await db.SetAsync("k", "v", 60, Ct));
        await Poll.UntilAsync(async () => await db.GetAsync("k", Ct) == "v" && db.Lean?.Refused == true,
            TimeSpan.FromSeconds(20), "the lean connection to be refused", Ct);

        var leanCalls = db.Lean!.LeanCalls;
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("v", await db.GetAsync("k", Ct));
        }

        Assert.Equal(leanCalls, db.Lean.LeanCalls);
        var clients = await server.SendRawAsync(Ct, "CLIENT", "LIST");
        Assert.DoesNotContain(clients.Split('\n'), line => line.Contains("name=lean-auth-test", StringComparison.Ordinal) && line.Contains("user=default", StringComparison.Ordinal));
        Assert.Equal(0, db.Lean.LeanCalls);
    }

    [Fact]
    public async Task Over_TLS_the_lean_connection_validates_the_server_with_the_configured_CA()
    {
        await using var tls = await TlsRedisTopology.StartAsync(Ct);
        await using var db = await RedisDb.ConnectAsync(tls.Options(), ct: Ct);
        await WaitForLeanAsync(db, "tls:warm");
        var before = db.Lean!.LeanCalls;
        Assert.True(await db.SetAsync("tls:k", "v", 60, Ct));
        Assert.Equal("v", await db.GetAsync("tls:k", Ct));
        Assert.True(await db.QueueProductAsync("tls:q", new { a = 1 }, Ct));
        Assert.Equal(before + 3, db.Lean.LeanCalls);
    }

    [Fact]
    public async Task Over_TLS_a_server_certificate_from_another_CA_is_refused_and_the_lean_path_is_not_used()
    {
        await using var tls = await TlsRedisTopology.StartAsync(Ct);
        await using var other = await TlsRedisTopology.StartAsync(Ct);
        // The server of one topology presented to a client that trusts only the other topology's CA.
        var options = other.Options(o => o.Host = tls.Endpoint);
        await using var db = await RedisDb.ConnectAsync(options, ct: Ct);
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await db.GetAsync("k", Ct));
        }

        Assert.Equal(0, db.Lean?.LeanCalls ?? 0);
    }

    [Fact]
    public async Task A_paused_server_is_answered_within_the_operation_timeout_and_the_lean_path_recovers()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        var timeout = TimeSpan.FromSeconds(2);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint, OperationTimeout = timeout }, ct: Ct);
        await WaitForLeanAsync(db, "pause:warm");
        Assert.True(await db.SetAsync("k", "v", ct: Ct));

        Assert.Equal("+OK", (await server.SendRawAsync(Ct, "CLIENT", "PAUSE", "6000", "ALL")).Trim());
        try
        {
            var sw = Stopwatch.StartNew();
            var get = db.GetAsync("k", Ct); // taken by the lean connection, whose reply is late
            var returned = sw.Elapsed;
            var set = db.SetAsync("k2", "v", ct: Ct);
            Assert.Null(await get);
            Assert.False(await set);
            // Under the 6 s pause, so the calls were answered by their timeout; slack for a loaded CI machine.
            Assert.True(sw.Elapsed < timeout + TimeSpan.FromSeconds(2.5), $"the calls took {sw.Elapsed}");
            Assert.True(returned < TimeSpan.FromMilliseconds(500), $"the caller was blocked for {returned}");
        }
        finally
        {
            await server.SendRawAsync(CancellationToken.None, "CLIENT", "UNPAUSE");
        }

        // The broken lean connection is replaced and used again.
        var leanCalls = db.Lean!.LeanCalls;
        await Poll.UntilAsync(async () => await db.GetAsync("k", Ct) == "v" && db.Lean.LeanCalls > leanCalls,
            TimeSpan.FromSeconds(20), "the lean path to answer again", Ct);
    }

    [Fact]
    public async Task A_killed_server_is_answered_within_the_operation_timeout()
    {
        var server = await RedisServerProcess.StartAsync(ct: Ct);
        var timeout = TimeSpan.FromSeconds(2);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint, OperationTimeout = timeout }, ct: Ct);
        await WaitForLeanAsync(db, "kill:warm");
        await server.KillAsync();
        await server.DisposeAsync();
        // Each call may wait out its own operation timeout (the multiplexer bridges a restart that short), but no longer.
        // The bound is per call, with slack for a loaded CI machine.
        var slack = TimeSpan.FromSeconds(2.5);
        var sw = Stopwatch.StartNew();
        Assert.Null(await db.GetAsync("k", Ct));
        Assert.True(sw.Elapsed < timeout + slack, $"GET took {sw.Elapsed}");
        sw.Restart();
        Assert.False(await db.QueueProductAsync("q", new { a = 1 }, Ct));
        Assert.True(sw.Elapsed < timeout + slack, $"XADD took {sw.Elapsed}");
    }

    [Fact]
    public async Task On_a_cluster_each_key_goes_to_its_owner_and_a_MOVED_reply_is_handed_to_the_multiplexer()
    {
        await using var cluster = await ClusterTopology.StartAsync(Ct);
        await using var db = await RedisDb.ConnectAsync(cluster.Options(), ct: Ct);
        await WaitForLeanAsync(db, "cluster:warm");
        var before = db.Lean!.LeanCalls;
        for (var i = 0; i < 30; i++)
        {
            Assert.True(await db.SetAsync($"cluster:{i}", $"v{i}", 60, Ct));
        }

        await Poll.UntilAsync(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                Assert.Equal($"v{i}", await db.GetAsync($"cluster:{i}", Ct));
            }

            return db.Lean.HandedOver == 0 && db.Lean.LeanCalls - before >= 30;
        }, TimeSpan.FromSeconds(20), "every node's lean connection to answer", Ct);

        // A transport that believes the first primary owns every key (a stale map): keys of other nodes get MOVED.
        var multiplexer = (StackExchange.Redis.ConnectionMultiplexer)await db.GetConnectionAsync(Ct);
        using var stale = new LeanTransport(multiplexer, new LeanSettings(null, null, 0, null, false, null, null, null,
            TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)), cluster: false);
        var call = RedisDb.LeanCommands.Get;
        var target = multiplexer.GetServers().First(s => s.IsConnected && !s.IsReplica).EndPoint;
        var keys = Enumerable.Range(0, 30).Select(i => $"cluster:{i}").ToArray();
        var owned = keys.First(k => multiplexer.GetServer((StackExchange.Redis.RedisKey)k).EndPoint.Equals(target));
        var foreign = keys.First(k => !multiplexer.GetServer((StackExchange.Redis.RedisKey)k).EndPoint.Equals(target));
        await Poll.UntilAsync(() => stale.TryExecute(owned, owned, call, out var value, out _, out _) && value == "v" + owned["cluster:".Length..],
            TimeSpan.FromSeconds(20), "the stale transport to answer a key its node owns", Ct);
        Assert.True(stale.IsConnected(target));

        Assert.False(stale.TryExecute(foreign, foreign, call, out _, out var error, out var pending));
        if (pending is not null)
        {
            // The reply came later than the poll (a loaded machine): it is then read on a pool thread, same outcome.
            (var ok, _, error) = await pending;
            Assert.False(ok);
        }

        Assert.Null(error); // MOVED: to be run again by the multiplexer
        Assert.Equal(1, stale.HandedOver);
        Assert.False(stale.IsConnected(target)); // dropped: its map is stale
        Assert.Equal("v" + foreign["cluster:".Length..], await db.GetAsync(foreign, Ct)); // the multiplexer follows MOVED
    }

    [Fact]
    public async Task A_Sentinel_switch_over_moves_the_lean_connection_to_the_new_primary()
    {
        await using var sentinel = await SentinelTopology.StartAsync(Ct);
        await using var db = await RedisDb.ConnectAsync(sentinel.Options(o => o.OperationTimeout = TimeSpan.FromSeconds(5)), ct: Ct);
        await WaitForLeanAsync(db, "sentinel:warm");
        var oldPrimary = await sentinel.PrimaryAsync(Ct);
        Assert.True(db.Lean!.IsConnected(Endpoint(oldPrimary)));

        Assert.StartsWith("+OK", await sentinel.Sentinels[0].SendRawAsync(Ct, "SENTINEL", "FAILOVER", SentinelTopology.ServiceName), StringComparison.Ordinal);
        await Poll.UntilAsync(async () => await sentinel.PrimaryPortAsync(Ct) != oldPrimary.Port,
            TimeSpan.FromSeconds(30), "the Sentinels to promote a replica", Ct);
        var newPrimary = await sentinel.PrimaryAsync(Ct);

        // Writes carry on (through the multiplexer while the lean connection re-targets), then go lean to the new primary.
        var n = 0;
        await Poll.UntilAsync(async () => await db.SetAsync($"sentinel:after:{n++}", "v", 60, Ct) && db.Lean.IsConnected(Endpoint(newPrimary)),
            TimeSpan.FromSeconds(30), "the lean connection to reach the new primary", Ct);
        var leanCalls = db.Lean.LeanCalls;
        Assert.True(await db.SetAsync("sentinel:final", "v", 60, Ct));
        Assert.Equal(leanCalls + 1, db.Lean.LeanCalls);
        Assert.Contains("v", await newPrimary.SendRawAsync(Ct, "GET", "sentinel:final"), StringComparison.Ordinal);
    }

    private static System.Net.IPEndPoint Endpoint(RedisServerProcess server) =>
        new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, server.Port);

    /// <summary>Calls until the lean connection (opened in the background on first use) answers one.</summary>
    private static Task WaitForLeanAsync(RedisDb db, string key) =>
        Poll.UntilAsync(async () => await db.SetAsync(key, "w", 60, Ct) && db.Lean?.LeanCalls > 0,
            TimeSpan.FromSeconds(20), "the lean connection to answer", Ct);
}
