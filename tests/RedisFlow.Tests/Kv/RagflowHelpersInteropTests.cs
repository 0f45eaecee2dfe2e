using System.Globalization;
using RedisFlow.Embedded;
using RedisFlow.Testing;

namespace RedisFlow.Tests.Kv;

/// <summary>
/// The methods RAGFlow's RedisDB gained after the seed (ids, shared secret, token bucket), each against a real Python
/// process (redis-py) on the same Redis and the same keys.
/// </summary>
public sealed class RagflowHelpersInteropTests : IAsyncLifetime
{
    private RedisServerProcess? _server;
    private RedisDb? _db;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RedisServerProcess Server => _server!;

    private RedisDb Db => _db!;

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Python", "ragflow_redis_peer.py");

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

    private Task<string> PythonAsync(params string[] args) =>
        PythonPeer.RunAsync(Script, [Server.Port.ToString(CultureInfo.InvariantCulture), .. args], Ct);

    private static long[] Numbers(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => long.Parse(l, CultureInfo.InvariantCulture))];

    [Fact]
    public async Task Ids_are_numbered_as_python_numbers_them_including_a_fresh_counter_and_ensure_minimum()
    {
        // The same series of calls on two fresh counters, one per language: the same ids.
        (long Increment, long? Minimum)[] calls = [(1, null), (1, null), (5, null), (1, 100), (1, 50), (1, null), (3, null)];
        var csharp = new List<long>();
        var python = new List<long>();
        foreach (var (increment, minimum) in calls)
        {
            csharp.Add(await Db.GenerateAutoIncrementIdAsync("ids", "cs", increment, minimum, Ct));
            string[] args = minimum is null
                ? ["ids", "ids", "py", "1", increment.ToString(CultureInfo.InvariantCulture)]
                : ["ids", "ids", "py", "1", increment.ToString(CultureInfo.InvariantCulture), minimum.Value.ToString(CultureInfo.InvariantCulture)];
            python.AddRange(Numbers(await PythonAsync(args)));
        }

        Assert.Equal(2, csharp[0]); // a fresh counter's first id, as RAGFlow hands it out
        Assert.Equal(python, csharp);

        // ensure_minimum on a missing counter starts it there (never below 1).
        Assert.Equal(1, await Db.GenerateAutoIncrementIdAsync("ids", "low", ensureMinimum: -5, ct: Ct));
        Assert.Equal([1L], Numbers(await PythonAsync("ids", "ids", "low-py", "1", "1", "-5")).AsEnumerable());
    }

    [Fact]
    public async Task Two_python_and_two_csharp_processes_never_share_an_id_on_one_counter()
    {
        const int PerProcess = 300;
        // Started by one call first: RAGFlow's own code can hand a fresh counter's first id to two Python processes.
        var first = await Db.GenerateAutoIncrementIdAsync("id_generator", "shared", ct: Ct);
        await using var cs1 = TestProcess.Start("ids", Server.Endpoint, "id_generator", "shared", PerProcess.ToString(CultureInfo.InvariantCulture));
        await using var cs2 = TestProcess.Start("ids", Server.Endpoint, "id_generator", "shared", PerProcess.ToString(CultureInfo.InvariantCulture));
        var py1 = PythonAsync("ids", "id_generator", "shared", PerProcess.ToString(CultureInfo.InvariantCulture));
        var py2 = PythonAsync("ids", "id_generator", "shared", PerProcess.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(0, await cs1.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.Equal(0, await cs2.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
        long[] ids = [first, .. Numbers(await py1), .. Numbers(await py2), .. cs1.Lines.Select(long.Parse), .. cs2.Lines.Select(long.Parse)];

        Assert.Equal(1 + (4 * PerProcess), ids.Length);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(ids.Max(), long.Parse((await Db.GetAsync("id_generator:shared", Ct))!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Ids_answer_minus_one_when_redis_is_down()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        await using var db = await RedisDb.ConnectAsync(
            new RedisDbOptions { Host = server.Endpoint, OperationTimeout = TimeSpan.FromSeconds(1), ConnectTimeout = TimeSpan.FromSeconds(1) }, ct: Ct);
        await server.KillAsync();
        Assert.Equal(-1, await db.GenerateAutoIncrementIdAsync(ct: Ct));
    }

    [Fact]
    public async Task The_first_secret_wins_in_both_languages()
    {
        Assert.Equal("from-python", (await PythonAsync("secret", "ragflow:system:secret_key", "from-python")).Trim());
        Assert.Equal("from-python", await Db.GetOrCreateSecretKeyAsync("ragflow:system:secret_key", "from-csharp", Ct));

        Assert.Equal("from-csharp", await Db.GetOrCreateSecretKeyAsync("other:secret", "from-csharp", Ct));
        Assert.Equal("from-csharp", (await PythonAsync("secret", "other:secret", "from-python")).Trim());

        // Racing callers all get one value.
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Db.GetOrCreateSecretKeyAsync("raced:secret", $"v{i}", Ct)));
        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task A_secret_is_never_made_up_when_redis_is_down()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        await using var db = await RedisDb.ConnectAsync(
            new RedisDbOptions { Host = server.Endpoint, OperationTimeout = TimeSpan.FromSeconds(1), ConnectTimeout = TimeSpan.FromSeconds(1) }, ct: Ct);
        await server.KillAsync();
        await Assert.ThrowsAsync<RedisUnavailableException>(() => db.GetOrCreateSecretKeyAsync("k", "v", Ct));
    }

    [Fact]
    public async Task A_token_bucket_is_shared_with_python()
    {
        const string Key = "rl:tb:agent-1";
        var now = 1_733_390_000.25;
        // capacity 3, 0.5 token a second: C# takes 2, Python takes the last one, then both are refused.
        Assert.Equal(new TokenBucketResult(true, 2), await Db.TokenBucketAsync(Key, 3, 0.5, now, ct: Ct));
        Assert.Equal(new TokenBucketResult(true, 1), await Db.TokenBucketAsync(Key, 3, 0.5, now, ct: Ct));
        Assert.Equal("1 0", (await PythonAsync("bucket", Key, "3", "0.5", Num(now), "1")).Trim());
        Assert.False((await Db.TokenBucketAsync(Key, 3, 0.5, now, ct: Ct)).Allowed);
        Assert.Equal("0 0", (await PythonAsync("bucket", Key, "3", "0.5", Num(now), "1")).Trim());

        // A refused request does not write the hash; 3 s later 1.5 tokens came back: one request, 0.5 left (shown as 0).
        Assert.Equal(Num(now), await HashFieldAsync(Key, "timestamp"));
        Assert.Equal(new TokenBucketResult(true, 0), await Db.TokenBucketAsync(Key, 3, 0.5, now + 3, ct: Ct));
        Assert.Equal(0.5, double.Parse((await HashFieldAsync(Key, "tokens"))!, CultureInfo.InvariantCulture));
        Assert.Equal("0 0", (await PythonAsync("bucket", Key, "3", "0.5", Num(now + 3), "1")).Trim());

        // The expiry is capacity / rate * 2 seconds, rounded up, as RAGFlow's.
        var ttl = await (await Db.GetDatabaseAsync(Ct)).KeyTimeToLiveAsync(Key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value.TotalSeconds, 1, 12);
    }

    [Fact]
    public async Task A_token_bucket_refuses_a_rate_of_zero()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Db.TokenBucketAsync("rl:zero", 3, 0, 1, ct: Ct));
    }

    private async Task<string?> HashFieldAsync(string key, string field)
    {
        var database = await Db.GetDatabaseAsync(Ct);
        return await database.HashGetAsync(key, field);
    }

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
