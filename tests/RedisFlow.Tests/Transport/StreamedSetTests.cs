using RedisFlow.Embedded;
using RedisFlow.Testing;
using RedisFlow.Testing.Topologies;
using StackExchange.Redis;

namespace RedisFlow.Tests.Transport;

/// <summary>
/// <see cref="RedisDb.SetStreamedAsync"/> against real servers: a large value lands byte-exact as one SET, NX is
/// honoured, content that is shorter or longer than announced stores nothing and leaves the next call working, and
/// it keeps TLS, Cluster routing and refused credentials as the lean path does. Each test owns its server(s).
/// </summary>
public sealed class StreamedSetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_large_value_is_stored_byte_exact_with_its_ttl_and_NX_keeps_the_first()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint, Db = 2 }, ct: Ct);
        var bytes = RandomBytes(8 * 1024 * 1024 + 17);
        var buffer = new byte[1024 * 1024];

        Assert.Equal(StreamedSetResult.Stored,
            await db.SetStreamedAsync("big:{a}", new MemoryStream(bytes), bytes.Length, TimeSpan.FromMinutes(12), onlyIfAbsent: true, buffer, Ct));
        Assert.Equal(bytes, await db.GetBytesAsync("big:{a}", Ct));
        var raw = (await db.GetConnectionAsync(Ct)).GetDatabase(2);
        var ttl = await raw.KeyTimeToLiveAsync("big:{a}");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(11), TimeSpan.FromMinutes(12));

        var other = RandomBytes(3 * 1024 * 1024);
        Assert.Equal(StreamedSetResult.NotStored,
            await db.SetStreamedAsync("big:{a}", new MemoryStream(other), other.Length, TimeSpan.FromMinutes(1), onlyIfAbsent: true, buffer, Ct));
        Assert.Equal(bytes, await db.GetBytesAsync("big:{a}", Ct));

        // Without NX it replaces, through a pooled connection that was left clean; an empty value works too.
        Assert.Equal(StreamedSetResult.Stored,
            await db.SetStreamedAsync("big:{a}", new MemoryStream(other), other.Length, TimeSpan.FromMinutes(1), onlyIfAbsent: false, buffer, Ct));
        Assert.Equal(other, await db.GetBytesAsync("big:{a}", Ct));
        Assert.Equal(StreamedSetResult.Stored,
            await db.SetStreamedAsync("empty", new MemoryStream([]), 0, TimeSpan.FromMinutes(1), onlyIfAbsent: false, buffer, Ct));
        Assert.Equal(Array.Empty<byte>(), await db.GetBytesAsync("empty", Ct));
    }

    [Fact]
    public async Task Content_shorter_or_longer_than_announced_stores_nothing_and_the_next_call_works()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint }, ct: Ct);
        var bytes = RandomBytes(2 * 1024 * 1024);
        var buffer = new byte[256 * 1024];

        var shorter = await Assert.ThrowsAsync<EndOfStreamException>(() =>
            db.SetStreamedAsync("short", new MemoryStream(bytes, 0, bytes.Length - 1), bytes.Length, TimeSpan.FromMinutes(1), true, buffer, Ct));
        Assert.Contains("nothing was stored", shorter.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidDataException>(() =>
            db.SetStreamedAsync("long", new MemoryStream(bytes), bytes.Length - 1, TimeSpan.FromMinutes(1), true, buffer, Ct));
        await Assert.ThrowsAsync<IOException>(() =>
            db.SetStreamedAsync("failing", new FailingStream(bytes, failAfter: 700_000), bytes.Length, TimeSpan.FromMinutes(1), true, buffer, Ct));

        // Redis dropped each half-sent command with its connection: none of the keys exists, and the server is fine.
        Assert.Null(await db.GetBytesAsync("short", Ct));
        Assert.Null(await db.GetBytesAsync("long", Ct));
        Assert.Null(await db.GetBytesAsync("failing", Ct));
        Assert.Equal(StreamedSetResult.Stored,
            await db.SetStreamedAsync("after", new MemoryStream(bytes), bytes.Length, TimeSpan.FromMinutes(1), true, buffer, Ct));
        Assert.Equal(bytes, await db.GetBytesAsync("after", Ct));
    }

    [Fact]
    public async Task Without_a_connection_of_its_own_it_answers_Unavailable_and_reads_nothing()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint, LeanConnection = false }, ct: Ct);
        var content = new MemoryStream(RandomBytes(4096));
        Assert.Equal(StreamedSetResult.Unavailable,
            await db.SetStreamedAsync("k", content, content.Length, TimeSpan.FromMinutes(1), true, new byte[1024], Ct));
        Assert.Equal(0, content.Position);
        Assert.Null(await db.GetBytesAsync("k", Ct));
    }

    [Fact]
    public async Task A_refused_password_is_never_replaced_by_the_default_user()
    {
        // A stock server ("default" on without a password): the streamed connection must not carry on as "default".
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        var user = "bulk-" + Guid.NewGuid().ToString("N")[..8];
        Assert.StartsWith("+OK", await server.SendRawAsync(Ct, "ACL", "SETUSER", user, "on", ">first-Pa55", "~*", "&*", "+@all"), StringComparison.Ordinal);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint, Username = user, Password = "first-Pa55" }, ct: Ct);
        Assert.True(await db.HealthAsync(Ct));
        Assert.StartsWith("+OK", await server.SendRawAsync(Ct, "ACL", "SETUSER", user, "resetpass", ">second-Pa55"), StringComparison.Ordinal);

        var content = new MemoryStream(RandomBytes(64 * 1024));
        var result = await db.SetStreamedAsync("k", content, content.Length, TimeSpan.FromMinutes(1), true, new byte[8192], Ct);
        Assert.Equal(StreamedSetResult.Unavailable, result);
        Assert.Null(await db.GetBytesAsync("k", Ct));
    }

    [Fact]
    public async Task Over_TLS_the_value_is_stored()
    {
        await using var tls = await TlsRedisTopology.StartAsync(Ct);
        await using var db = await RedisDb.ConnectAsync(tls.Options(), ct: Ct);
        var bytes = RandomBytes(3 * 1024 * 1024 + 5);
        Assert.Equal(StreamedSetResult.Stored,
            await db.SetStreamedAsync("tls:big", new MemoryStream(bytes), bytes.Length, TimeSpan.FromMinutes(1), true, new byte[1024 * 1024], Ct));
        Assert.Equal(bytes, await db.GetBytesAsync("tls:big", Ct));
    }

    [Fact]
    public async Task On_a_cluster_each_value_goes_to_the_owner_of_its_slot()
    {
        await using var cluster = await ClusterTopology.StartAsync(Ct);
        await using var db = await RedisDb.ConnectAsync(cluster.Options(), ct: Ct);
        var multiplexer = await db.GetConnectionAsync(Ct);
        var keys = Enumerable.Range(0, 12).Select(i => $"cluster:big:{i}").ToArray();
        Assert.True(keys.Select(k => multiplexer.GetServer((RedisKey)k).EndPoint).Distinct().Count() > 1, "the keys should span several nodes");
        var buffer = new byte[512 * 1024];
        foreach (var key in keys)
        {
            var bytes = RandomBytes(1024 * 1024 + key.Length);
            Assert.Equal(StreamedSetResult.Stored, await db.SetStreamedAsync(key, new MemoryStream(bytes), bytes.Length, TimeSpan.FromMinutes(1), true, buffer, Ct));
            Assert.Equal(bytes, (byte[]?)await multiplexer.GetDatabase().StringGetAsync(key));
        }
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Content whose storage fails part-way (an IOException after <c>failAfter</c> bytes).</summary>
    private sealed class FailingStream(byte[] bytes, int failAfter) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAfter ? ValueTask.FromException<int>(new IOException("storage failed")) : base.ReadAsync(buffer, cancellationToken);
    }
}
