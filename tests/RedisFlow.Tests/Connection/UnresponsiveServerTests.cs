using System.Diagnostics;
using RedisFlow.Embedded;

namespace RedisFlow.Tests.Connection;

/// <summary>
/// A connected <see cref="RedisDb"/> whose server stops answering (CLIENT PAUSE: the socket stays open, so nothing
/// fails fast). Calls take the connected fast path, bounded by StackExchange.Redis's own timeout, and must still
/// answer false/null within the operation timeout. Each test owns its server.
/// </summary>
public sealed class UnresponsiveServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Calls_to_a_paused_server_answer_null_or_false_within_the_operation_timeout()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: Ct);
        var timeout = TimeSpan.FromSeconds(2);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint, OperationTimeout = timeout }, ct: Ct);
        Assert.True(await db.SetAsync("k", "v", ct: Ct));
        Assert.True(db.IsAlive);

        // Three times the operation timeout: every call below is answered by a timeout, not by the end of the pause.
        Assert.Equal("+OK", (await server.SendRawAsync(Ct, "CLIENT", "PAUSE", "6000", "ALL")).Trim());
        try
        {
            var sw = Stopwatch.StartNew();
            var get = db.GetAsync("k", Ct);
            var set = db.SetAsync("k2", "v", ct: Ct);
            var exist = db.ExistAsync("k", Ct);
            Assert.Null(await get);
            Assert.False(await set);
            Assert.Null(await exist);
            // Under the 6 s pause, so the calls were answered by their timeout; slack for a loaded CI machine.
            Assert.True(sw.Elapsed < timeout + TimeSpan.FromSeconds(2.5), $"the calls took {sw.Elapsed}");
        }
        finally
        {
            // Commands queued during the pause, this one included, run when it ends.
            await server.SendRawAsync(CancellationToken.None, "CLIENT", "UNPAUSE");
        }

        Assert.Equal("v", await db.GetAsync("k", Ct));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(1_000)]
    [InlineData(2_000)]
    [InlineData(5_000)]
    [InlineData(60_000)]
    public void StackExchange_Redis_timeout_checked_once_per_heartbeat_fires_within_the_operation_timeout(int operationMs)
    {
        var operation = TimeSpan.FromMilliseconds(operationMs);
        var heartbeat = RedisConnectionFactory.HeartbeatFor(operation);
        var asyncTimeout = RedisConnectionFactory.AsyncTimeoutFor(operation, heartbeat);
        var config = RedisConnectionFactory.Build(new RedisDbOptions { Host = "127.0.0.1:6379", OperationTimeout = operation });

        Assert.Equal(heartbeat, config.HeartbeatInterval);
        Assert.Equal((int)asyncTimeout.TotalMilliseconds, config.AsyncTimeout);
        Assert.True(heartbeat <= TimeSpan.FromSeconds(1));
        Assert.True(RedisConnectionFactory.ClientTimeoutFitsBudget(operation) == (asyncTimeout + heartbeat <= operation));
        if (operationMs >= 1_000)
        {
            Assert.True(RedisConnectionFactory.ClientTimeoutFitsBudget(operation));
        }
    }
}
