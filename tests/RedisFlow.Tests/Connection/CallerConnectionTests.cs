using RedisFlow.Embedded;
using RedisFlow.Queues;
using StackExchange.Redis;

namespace RedisFlow.Tests.Connection;

/// <summary>
/// Issue 13: a <see cref="RedisDb"/> on the caller's multiplexer (<see cref="RedisDb.FromConnection"/> or
/// <see cref="RedisDbOptions.ConnectionMultiplexerFactory"/>), on a server with a password: it works, a worker's
/// blocking reads get the credentials from the multiplexer, and disposing it leaves the caller's multiplexer open.
/// </summary>
public sealed class CallerConnectionTests
{
    private const string Password = "Caller-Owned-5b2a";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FromConnection_serves_calls_and_leaves_the_callers_multiplexer_open()
    {
        await using var server = await RedisServerProcess.StartAsync(["--requirepass", Password], Ct);
        await using var mux = await ConnectionMultiplexer.ConnectAsync($"{server.Endpoint},password={Password}");

        var db = RedisFlow.RedisDb.FromConnection(mux, new RedisDbOptions { Db = 3 });
        Assert.True(db.UsesCallerConnection);
        Assert.True(await db.SetAsync("caller:key", "value", ct: Ct));
        Assert.Equal("value", await db.GetAsync("caller:key", Ct));
        // The options' database is used, not the multiplexer's default.
        Assert.Equal("value", (string?)await mux.GetDatabase(3).StringGetAsync("caller:key"));
        Assert.Same(mux, await db.GetConnectionAsync(Ct));

        await db.DisposeAsync();

        Assert.True(mux.IsConnected);
        Assert.Equal("value", (string?)await mux.GetDatabase(3).StringGetAsync("caller:key"));
    }

    [Fact]
    public async Task The_factory_is_called_once_and_a_worker_reads_with_the_multiplexers_credentials()
    {
        await using var server = await RedisServerProcess.StartAsync(["--requirepass", Password], Ct);
        await using var mux = await ConnectionMultiplexer.ConnectAsync($"{server.Endpoint},password={Password}");
        var calls = 0;
        var options = new RedisDbOptions
        {
            // Host and password stay at their defaults: the factory's multiplexer decides where and as whom.
            ConnectionMultiplexerFactory = () =>
            {
                Interlocked.Increment(ref calls);
                return Task.FromResult<IConnectionMultiplexer>(mux);
            },
        };
        var db = new RedisFlow.RedisDb(options);
        await using (db)
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(i => db.SetAsync($"factory:{i}", "x", ct: Ct)));
            Assert.Equal(1, calls);

            var handled = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var workerOptions = new QueueWorkerOptions { QueueName = "caller-queue", GroupName = "g", ConsumerName = "c1", Concurrency = 1 };
            await using (await Queues.RunningWorker.StartAsync(db, workerOptions, (message, _) =>
            {
                handled.TrySetResult(message.GetMessage().GetProperty("n").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
                return Task.CompletedTask;
            }))
            {
                Assert.True(await db.QueueProductAsync("caller-queue", new { n = 7 }, Ct));
                Assert.Equal("7", await handled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct));
            }
        }

        Assert.True(mux.IsConnected);
    }

    [Fact]
    public async Task A_factory_that_returns_null_is_a_configuration_error_naming_it()
    {
        var db = new RedisFlow.RedisDb(new RedisDbOptions { ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(null!) });
        await using (db)
        {
            var ex = await Assert.ThrowsAsync<RedisFlowConfigurationException>(async () => await db.GetConnectionAsync(Ct));
            Assert.Equal("Redis:ConnectionMultiplexerFactory", ex.Setting);
        }
    }
}
