using System.Collections.Concurrent;
using RedisFlow.Embedded;
using RedisFlow.Queues;
using RedisFlow.Testing;
using RedisFlow.Testing.Logging;
using RedisFlow.Testing.Topologies;
using RedisFlow.Tests.Queues;
using RedisFlow.Transport;

namespace RedisFlow.Tests.Transport;

/// <summary>
/// Blocking reads over a lean connection with a thread of its own (the worker's delivery path): an idle read is one
/// command, a refused password or a killed connection hands the reads to the multiplexer without losing an entry,
/// and a Sentinel switch-over moves the reads to the new primary. Each test owns its server(s); the topology cases of
/// <c>QueueBlockingReadTestCases</c> cover TLS, Cluster and cancellation.
/// </summary>
public sealed class LeanBlockingReadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_idle_worker_blocks_on_the_lean_connection_with_one_command_per_block_and_no_SELECT()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint, Db = 3 }, ct: Ct);
        var delivered = new ConcurrentDictionary<string, byte>();
        await using (await StartRecordingAsync(db, "idle:q", TimeSpan.FromMilliseconds(100), delivered))
        {
            await Poll.UntilAsync(() => db.Queue.LeanBlockingReads >= 2, TimeSpan.FromSeconds(20), "blocking reads on the lean connection", Ct);
            var before = await CommandCallsAsync(server);
            var leanBefore = db.Queue.LeanBlockingReads;
            await Poll.UntilAsync(() => db.Queue.LeanBlockingReads >= leanBefore + 5, TimeSpan.FromSeconds(20), "five more idle reads", Ct);
            var after = await CommandCallsAsync(server);

            Assert.True(Delta(before, after, "xreadgroup") >= 5);
            Assert.Equal(0, Delta(before, after, "select"));

            // And it delivers: an entry produced now is handled, and read on the lean connection.
            var id = await db.QueueProductWithIdAsync("idle:q", new { n = 1 }, Ct);
            await Poll.UntilAsync(() => delivered.ContainsKey(id!), TimeSpan.FromSeconds(20), "the entry to be handled", Ct);
        }

        Assert.Empty(await db.GetPendingMsgAsync("idle:q", "g", ct: Ct));
    }

    [Fact]
    public async Task A_refused_password_reads_nothing_as_another_user_and_reading_resumes_once_the_password_is_fixed()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        var user = await CreateUserAsync(server, "leanread-", "first-Pa55");
        using var logs = new CapturingLoggerFactory();
        await using var db = await RedisDb.ConnectAsync(
            new RedisDbOptions { Host = server.Endpoint, Username = user, Password = "first-Pa55", ClientName = "leanread-auth" }, logs, Ct);
        Assert.True(await db.HealthAsync(Ct));
        // The main connection is authenticated; the blocking connections, opened when the worker starts, present a
        // password the server no longer takes. A stock server would run their commands as its password-less "default".
        Assert.StartsWith("+OK", await server.SendRawAsync(Ct, "ACL", "SETUSER", user, "resetpass", ">second-Pa55"), StringComparison.Ordinal);

        var delivered = new ConcurrentDictionary<string, byte>();
        await using (await StartRecordingAsync(db, "auth:q", TimeSpan.FromMilliseconds(200), delivered))
        {
            var ids = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                ids.Add((await db.QueueProductWithIdAsync("auth:q", new { n = i }, Ct))!);
            }

            await Poll.UntilAsync(() => logs.AllText().Contains("refused the credentials of a blocking-read connection", StringComparison.Ordinal),
                TimeSpan.FromSeconds(20), "the refused blocking read to be reported", Ct);
            Assert.Empty(delivered);
            await AssertNoReadAsDefaultAsync(server);
            Assert.Equal(0, db.Queue.LeanBlockingReads);

            // The password is fixed on the server: the reads resume without a restart, as the configured user.
            Assert.StartsWith("+OK", await server.SendRawAsync(Ct, "ACL", "SETUSER", user, "resetpass", ">first-Pa55"), StringComparison.Ordinal);
            await Poll.UntilAsync(() => ids.All(delivered.ContainsKey), TimeSpan.FromSeconds(30), "every entry to be handled", Ct);
            await AssertNoReadAsDefaultAsync(server);
        }
    }

    [Fact]
    public async Task A_blocking_connection_that_reconnects_with_a_refused_password_reads_nothing_as_another_user()
    {
        // The multiplexer's blocking connection alone (lean path off): it authenticated at start, then reconnects
        // after the password changed, and StackExchange.Redis goes on after the refused AUTH.
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        var user = await CreateUserAsync(server, "reconnect-", "first-Pa55");
        using var logs = new CapturingLoggerFactory();
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions
        {
            Host = server.Endpoint, Username = user, Password = "first-Pa55", ClientName = "reconnect-auth", LeanConnection = false,
        }, logs, Ct);
        var delivered = new ConcurrentDictionary<string, byte>();
        await using (await StartRecordingAsync(db, "reconnect:q", TimeSpan.FromSeconds(5), delivered))
        {
            var blocked = await WaitForBlockedReadAsync(server, "reconnect-auth:blocking");
            Assert.StartsWith("+OK", await server.SendRawAsync(Ct, "ACL", "SETUSER", user, "resetpass", ">second-Pa55"), StringComparison.Ordinal);
            Assert.Contains(":1", await server.SendRawAsync(Ct, "CLIENT", "KILL", "ID", blocked), StringComparison.Ordinal);
            var id = (await db.QueueProductWithIdAsync("reconnect:q", new { n = 1 }, Ct))!;

            await Poll.UntilAsync(() => logs.AllText().Contains("refused the credentials of a blocking-read connection", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "the refused blocking read to be reported", Ct);
            Assert.False(delivered.ContainsKey(id));
            await AssertNoReadAsDefaultAsync(server);

            // Fixed on the server: AUTH is sent again before the next read, which then runs as the configured user.
            Assert.StartsWith("+OK", await server.SendRawAsync(Ct, "ACL", "SETUSER", user, "resetpass", ">first-Pa55"), StringComparison.Ordinal);
            await Poll.UntilAsync(() => delivered.ContainsKey(id), TimeSpan.FromSeconds(30), "the entry to be handled", Ct);
        }
    }

    [Fact]
    public async Task A_killed_lean_connection_hands_the_reads_to_the_multiplexer_then_is_opened_again()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint, ClientName = "leanread-kill" }, ct: Ct);
        var delivered = new ConcurrentDictionary<string, byte>();
        await using (await StartRecordingAsync(db, "kill:q", TimeSpan.FromSeconds(5), delivered))
        {
            var blocked = await WaitForBlockedReadAsync(server);
            var multiplexerReads = db.Queue.MultiplexerBlockingReads;
            Assert.Contains(":1", await server.SendRawAsync(Ct, "CLIENT", "KILL", "ID", blocked), StringComparison.Ordinal);

            var ids = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                ids.Add((await db.QueueProductWithIdAsync("kill:q", new { n = i }, Ct))!);
            }

            await Poll.UntilAsync(() => ids.All(delivered.ContainsKey), TimeSpan.FromSeconds(30), "every entry to be handled", Ct);
            // The read that replaced the killed one went through the multiplexer (the lean path pauses after a failure).
            Assert.True(db.Queue.MultiplexerBlockingReads > multiplexerReads);

            // After its pause a new lean connection takes the reads again.
            var leanReads = db.Queue.LeanBlockingReads;
            var late = (await db.QueueProductWithIdAsync("kill:q", new { n = 99 }, Ct))!;
            await Poll.UntilAsync(async () =>
            {
                if (db.Queue.LeanBlockingReads > leanReads && delivered.ContainsKey(late))
                {
                    return true;
                }

                await db.QueueProductAsync("kill:q", new { n = 100 }, Ct);
                return false;
            }, TimeSpan.FromSeconds(30), "a read answered on a new lean connection", Ct);
        }

        Assert.Empty(await db.GetPendingMsgAsync("kill:q", "g", ct: Ct));
    }

    [Fact]
    public async Task A_Sentinel_switch_over_moves_the_blocking_reads_to_the_new_primary()
    {
        await using var sentinel = await SentinelTopology.StartAsync(Ct);
        await using var db = await RedisDb.ConnectAsync(sentinel.Options(o =>
        {
            o.OperationTimeout = TimeSpan.FromSeconds(5);
            o.ClientName = "leanread-sentinel";
        }), ct: Ct);
        var delivered = new ConcurrentDictionary<string, byte>();
        await using (await StartRecordingAsync(db, "sentinel:q", TimeSpan.FromMilliseconds(500), delivered))
        {
            var first = (await db.QueueProductWithIdAsync("sentinel:q", new { n = 0 }, Ct))!;
            await Poll.UntilAsync(() => delivered.ContainsKey(first) && db.Queue.LeanBlockingReads > 0, TimeSpan.FromSeconds(20), "a lean delivery", Ct);
            var oldPrimary = await sentinel.PrimaryAsync(Ct);

            Assert.StartsWith("+OK", await sentinel.Sentinels[0].SendRawAsync(Ct, "SENTINEL", "FAILOVER", SentinelTopology.ServiceName), StringComparison.Ordinal);
            await Poll.UntilAsync(async () => await sentinel.PrimaryPortAsync(Ct) != oldPrimary.Port,
                TimeSpan.FromSeconds(30), "the Sentinels to promote a replica", Ct);
            var newPrimary = await sentinel.PrimaryAsync(Ct);
            var leanReads = db.Queue.LeanBlockingReads;

            // Entries produced after the switch-over are delivered, and the worker ends up blocked on the new primary over its lean connection.
            string? last = null;
            await Poll.UntilAsync(async () =>
            {
                if (last is not null && delivered.ContainsKey(last) && db.Queue.LeanBlockingReads > leanReads
                    && await BlockedLeanIdAsync(newPrimary, "leanread-sentinel:blocking") is not null)
                {
                    return true;
                }

                last = await db.QueueProductWithIdAsync("sentinel:q", new { n = 1 }, Ct) ?? last;
                return false;
            }, TimeSpan.FromSeconds(40), "deliveries through the new primary's lean connection", Ct);
        }
    }

    /// <summary>A worker on <paramref name="queue"/> (group g, consumer c, 2 handlers) that records each handled entry's id in <paramref name="delivered"/>.</summary>
    private static Task<RunningWorker> StartRecordingAsync(RedisDb db, string queue, TimeSpan block, ConcurrentDictionary<string, byte> delivered) =>
        RunningWorker.StartAsync(db, new QueueWorkerOptions { QueueName = queue, GroupName = "g", ConsumerName = "c", Concurrency = 2, BlockTimeout = block },
            (m, _) =>
            {
                delivered[m.Id] = 0;
                return Task.CompletedTask;
            });

    /// <summary>The calls of each command so far, from INFO commandstats.</summary>
    /// <summary>An ACL user with every permission and <paramref name="password"/>, named from <paramref name="prefix"/>.</summary>
    private static async Task<string> CreateUserAsync(RedisServerProcess server, string prefix, string password)
    {
        var user = prefix + Guid.NewGuid().ToString("N")[..8];
        Assert.StartsWith("+OK", await server.SendRawAsync(Ct, "ACL", "SETUSER", user, "on", ">" + password, "~*", "&*", "+@all"), StringComparison.Ordinal);
        return user;
    }

    /// <summary>No connection is blocked in (or last ran) XREADGROUP as the password-less <c>default</c> user.</summary>
    private static async Task AssertNoReadAsDefaultAsync(RedisServerProcess server)
    {
        var clients = await server.SendRawAsync(Ct, "CLIENT", "LIST");
        Assert.DoesNotContain(clients.Split('\n'), line => line.Contains(" cmd=xreadgroup ", StringComparison.Ordinal) && line.Contains("user=default", StringComparison.Ordinal));
    }

    private static async Task<Dictionary<string, long>> CommandCallsAsync(RedisServerProcess server)
    {
        var info = await server.SendRawAsync(Ct, "INFO", "commandstats");
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in info.Split('\n'))
        {
            // cmdstat_xreadgroup:calls=12,usec=...
            if (line.StartsWith("cmdstat_", StringComparison.Ordinal) && line.IndexOf(":calls=", StringComparison.Ordinal) is var at and > 0)
            {
                var digits = line[(at + 7)..].Split(',')[0];
                calls[line[8..at]] = long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }

    private static long Delta(Dictionary<string, long> before, Dictionary<string, long> after, string command) =>
        after.GetValueOrDefault(command) - before.GetValueOrDefault(command);

    /// <summary>The id of a connection named <paramref name="name"/> blocked in XREADGROUP on <paramref name="server"/>, or null.</summary>
    private static async Task<string?> BlockedLeanIdAsync(RedisServerProcess server, string name = "leanread-kill:blocking")
    {
        var list = await server.SendRawAsync(Ct, "CLIENT", "LIST");
        var line = list.Split('\n').FirstOrDefault(l => l.Contains($" name={name} ", StringComparison.Ordinal)
                                                        && l.Contains(" cmd=xreadgroup ", StringComparison.Ordinal)
                                                        && l.Contains(" flags=b", StringComparison.Ordinal));
        return line?.Split(' ').First(f => f.StartsWith("id=", StringComparison.Ordinal))[3..];
    }

    private static async Task<string> WaitForBlockedReadAsync(RedisServerProcess server, string name = "leanread-kill:blocking")
    {
        string? id = null;
        await Poll.UntilAsync(async () => (id = await BlockedLeanIdAsync(server, name)) is not null, TimeSpan.FromSeconds(20), "a blocked read", Ct);
        return id!;
    }
}

/// <summary>The lean blocking connection on its own: closing it during a read, and a reply it cannot read.</summary>
public sealed class LeanBlockingConnectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LeanSettings Settings => new(null, null, 0, "lean-blocking-test", false, null, null, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Closing_it_during_a_blocked_read_fails_that_read_and_every_later_one()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        Assert.StartsWith("+OK", await server.SendRawAsync(Ct, "XGROUP", "CREATE", "q", "g", "$", "MKSTREAM"), StringComparison.Ordinal);
        var lean = await LeanBlockingConnection.OpenAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, server.Port), Settings, Ct);
        Assert.True(lean.ClientId > 0);
        lean.Writer.Begin(11).Arg("XREADGROUP").Arg("GROUP").Arg("g").Arg("c").Arg("BLOCK").Arg(0).Arg("COUNT").Arg(1).Arg("STREAMS").Arg("q");
        lean.Writer.Arg(">");
        var read = lean.SendAsync(TimeSpan.FromSeconds(60), inline: false);
        await Poll.UntilAsync(async () => (await server.SendRawAsync(Ct, "CLIENT", "LIST")).Contains("cmd=xreadgroup", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "the read to block", Ct);

        lean.Dispose();
        // Bounded far below the read's own 60 s: closing, not a timeout, ends it.
        await Assert.ThrowsAsync<IOException>(() => read.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        Assert.True(lean.IsClosed);
        await Assert.ThrowsAsync<IOException>(() => lean.SendAsync(TimeSpan.FromSeconds(1), inline: false));
    }

    [Fact]
    public async Task A_reply_it_cannot_read_fails_the_read_and_closes_the_connection_without_ending_the_process()
    {
        // Not a Redis server: a loopback listener that answers CLIENT ID, then a bulk string longer than any array can hold.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(Ct);
            var stream = client.GetStream();
            var buffer = new byte[4096];
            _ = await stream.ReadAsync(buffer, Ct); // CLIENT ID
            await stream.WriteAsync(":7\r\n"u8.ToArray(), Ct);
            _ = await stream.ReadAsync(buffer, Ct); // the read
            await stream.WriteAsync("$99999999999\r\n"u8.ToArray(), Ct);
            // Held open until the client gives up on the reply.
            _ = await stream.ReadAsync(buffer, Ct);
        }, Ct);

        // No client name: the handshake is CLIENT ID alone.
        var lean = await LeanBlockingConnection.OpenAsync((System.Net.IPEndPoint)listener.LocalEndpoint, Settings with { ClientName = null }, Ct);
        Assert.Equal(7, lean.ClientId);
        lean.Writer.Begin(2).Arg("GET").Arg("k");
        var read = lean.SendAsync(TimeSpan.FromSeconds(10), inline: false);
        await Assert.ThrowsAsync<IOException>(() => read.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        Assert.True(lean.IsClosed);
        await serving.WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }
}
