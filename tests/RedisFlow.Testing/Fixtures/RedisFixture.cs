using RedisFlow.Embedded;
using StackExchange.Redis;

namespace RedisFlow.Testing.Fixtures;

/// <summary>
/// One real redis-server and one shared <see cref="RedisDb"/> on its database 1 (RAGFlow's), registered by each
/// test project with <c>[assembly: AssemblyFixture]</c> for its whole run. Tests do not clash on it: each uses keys of
/// its own (unique names, fresh bucket ids). Tests that kill Redis or change its settings start their own server.
/// </summary>
public class RedisFixture : IRedisTopology, IAsyncLifetime
{
    private readonly string[] _serverArgs;
    private readonly bool _connect;
    private RedisServerProcess? _server;
    private RedisDb? _db;
    private ConnectionMultiplexer? _plain;

    /// <summary>A plain server with a <see cref="RedisDb"/> on it.</summary>
    public RedisFixture()
        : this([], connect: true)
    {
    }

    /// <summary>A server started with <paramref name="serverArgs"/>; <paramref name="connect"/> says whether a <see cref="RedisDb"/> connects to it.</summary>
    protected RedisFixture(string[] serverArgs, bool connect)
    {
        _serverArgs = serverArgs;
        _connect = connect;
    }

    /// <summary>The server process.</summary>
    public RedisServerProcess Server => _server ?? throw new InvalidOperationException("Fixture not started.");

    /// <summary>The shared <see cref="RedisDb"/> (database 1).</summary>
    public RedisDb Db => _db ?? throw new InvalidOperationException(_connect ? "Fixture not started." : "This fixture's server has no RedisDb.");

    /// <summary>
    /// Database 1 through a plain StackExchange.Redis connection of its own, to set up and check data independently
    /// of the code under test.
    /// </summary>
    public IDatabase Plain => (_plain ?? throw new InvalidOperationException("Fixture not started.")).GetDatabase(1);

    /// <summary>
    /// Options for a <see cref="RedisDb"/> of a test's own on <paramref name="server"/>: database 1, and an operation
    /// timeout long enough for megabytes of cached files on a loaded machine.
    /// </summary>
    public static RedisDbOptions OptionsFor(RedisServerProcess server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new() { Host = server.Endpoint, Db = 1, OperationTimeout = TimeSpan.FromSeconds(10), ConnectTimeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary><see cref="OptionsFor"/> this fixture's server, adjusted by <paramref name="configure"/>.</summary>
    public RedisDbOptions Options(Action<RedisDbOptions>? configure = null)
    {
        var options = OptionsFor(Server);
        configure?.Invoke(options);
        return options;
    }

    /// <inheritdoc />
    public Task<RedisDb> GetDbAsync(CancellationToken ct) => Task.FromResult(Db);

    /// <inheritdoc />
    public async Task FlushScriptsAsync(CancellationToken ct)
    {
        var reply = await Server.SendRawAsync(ct, "SCRIPT", "FLUSH").ConfigureAwait(false);
        Assert.StartsWith("+OK", reply, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        _server = await RedisServerProcess.StartAsync(_serverArgs, TestContext.Current.CancellationToken).ConfigureAwait(false);
        if (_connect)
        {
            _db = await RedisDb.ConnectAsync(Options()).ConfigureAwait(false);
            // Checks read back what tests wrote, up to tens of MB; on a loaded 2-core machine that outlasts the
            // client's default 5 s timeout, which is not what these tests are about.
            _plain = await ConnectionMultiplexer.ConnectAsync($"{Server.Endpoint},asyncTimeout=60000,syncTimeout=60000").ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_plain is not null)
        {
            await _plain.DisposeAsync().ConfigureAwait(false);
        }

        if (_db is not null)
        {
            await _db.DisposeAsync().ConfigureAwait(false);
        }

        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }
}
