using RedisFlow.Embedded;
using StackExchange.Redis;

namespace RedisFlow.Benchmarks.Harness;

/// <summary>What every scenario gets: the run's redis-server, its sizes, and connections made the same way for each side.</summary>
public sealed class BenchContext(RedisServerProcess server, BenchSizes sizes, bool quick, Action<string> progress)
{
    /// <summary>The database both RedisFlow and the raw client use (RAGFlow's default).</summary>
    public const int Database = 1;

    public RedisServerProcess Server { get; } = server;

    public BenchSizes Sizes { get; } = sizes;

    public bool Quick { get; } = quick;

    public void Progress(string line) => progress(line);

    /// <summary>A raw StackExchange.Redis connection, configured as RedisDb configures its own.</summary>
    public async Task<ConnectionMultiplexer> ConnectRawAsync(string clientName = "bench-raw")
    {
        var options = ConfigurationOptions.Parse(Server.Endpoint);
        options.DefaultDatabase = Database;
        options.ClientName = clientName;
        options.AbortOnConnectFail = false;
        return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    }

    /// <summary>A RedisDb on the run's server.</summary>
    public Task<RedisDb> ConnectRedisDbAsync(CancellationToken ct) => ConnectRedisDbAsync(null, ct);

    /// <summary>A RedisDb on the run's server, with options changed by <paramref name="configure"/>.</summary>
    public Task<RedisDb> ConnectRedisDbAsync(Action<RedisDbOptions>? configure, CancellationToken ct)
    {
        var options = new RedisDbOptions { Host = Server.Endpoint, Db = Database, ClientName = "bench-redisflow" };
        configure?.Invoke(options);
        return RedisDb.ConnectAsync(options, null, ct);
    }

    /// <summary>Empties every database between scenarios so memory and keyspace start alike.</summary>
    public async Task FlushAsync(CancellationToken ct) =>
        await Server.SendRawAsync(ct, "FLUSHALL").ConfigureAwait(false);

    public Task<IReadOnlyDictionary<string, Sample>> RepeatAsync(IReadOnlyList<BenchCase> cases, CancellationToken ct, bool slow = false) =>
        Repeater.RunAsync(cases, Sizes.Warmups, slow ? Sizes.SlowRepetitions : Sizes.Repetitions, Progress, ct);
}
