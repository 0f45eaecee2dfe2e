using RedisFlow.Embedded;
using RedisFlow.Scripts;

namespace RedisFlow.Tests.Kv;

/// <summary>
/// A caller's own script and commands (the cache daemon's path) get the library's contract: EVALSHA reloaded on
/// NOSCRIPT, pipelined commands, and the fallback answer when Redis is down.
/// </summary>
public sealed class OwnScriptTests : IAsyncLifetime
{
    private static readonly RedisLuaScript SetAndLength = RedisLuaScript.FromText(
        "set_and_length", "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('STRLEN', KEYS[1])");

    private RedisServerProcess? _server;
    private RedisDb? _db;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RedisServerProcess Server => _server!;

    private RedisDb Db => _db!;

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServerProcess.StartAsync(ct: Ct);
        _db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = _server.Endpoint, Db = 0, OperationTimeout = TimeSpan.FromSeconds(1) }, ct: Ct);
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

    [Fact]
    public async Task A_script_runs_and_is_sent_again_after_the_server_forgot_it()
    {
        Assert.Equal(5L, await Db.EvaluateAsync("Test", SetAndLength, ["k"], ["hello"], static r => (long?)(long)r, null, idempotent: true, Ct));

        await Server.SendRawAsync(Ct, "SCRIPT", "FLUSH");

        Assert.Equal(3L, await Db.EvaluateAsync("Test", SetAndLength, ["k"], ["abc"], static r => (long?)(long)r, null, idempotent: true, Ct));
        Assert.Equal("abc", await Db.GetAsync("k", Ct));
    }

    [Fact]
    public async Task Commands_and_a_script_pipelined_in_one_call_answer_together()
    {
        var length = await Db.ExecuteAsync("Test", "p", SetAndLength, static async (db, script) =>
        {
            var append = db.StringAppendAsync("p", "xy");
            var set = script.EvaluateAsync(db, ["q"], ["1234"]);
            await Task.WhenAll(append, set);
            return await append + (long)await set;
        }, -1L, idempotent: false, Ct);

        Assert.Equal(6L, length);
    }

    [Fact]
    public async Task Redis_down_answers_the_fallback_and_an_error_reply_too()
    {
        var broken = RedisLuaScript.FromText("broken", "return redis.call('NOSUCHCOMMAND')");
        Assert.Null(await Db.EvaluateAsync("Test", broken, ["k"], [], static r => (long?)(long)r, null, idempotent: true, Ct));

        await Server.KillAsync();

        Assert.Null(await Db.EvaluateAsync("Test", SetAndLength, ["k"], ["x"], static r => (long?)(long)r, null, idempotent: true, Ct));
        Assert.False(await Db.ExecuteAsync("Test", "k", 0, static (db, _) => db.StringSetAsync("k", "v"), false, idempotent: true, Ct));
    }

    [Fact]
    public async Task A_command_task_cancelled_by_the_client_library_is_a_failure_not_the_callers_cancellation()
    {
        // StackExchange.Redis completes a command as cancelled when its connection drops (found by the chaos run):
        // the caller did not cancel, so the call answers as for an outage, retried first when idempotent.
        var attempts = 0;
        var answer = await Db.ExecuteAsync("Test", "k", 0, (_, _) =>
        {
            attempts++;
            return Task.FromCanceled<bool>(new CancellationToken(canceled: true));
        }, false, idempotent: true, Ct);

        Assert.False(answer);
        Assert.True(attempts > 1, $"an idempotent call cancelled by the library should be retried; it ran {attempts} time(s)");

        attempts = 0;
        Assert.Equal(-1L, await Db.ExecuteAsync("Test", "k", 0, (_, _) =>
        {
            attempts++;
            return Task.FromCanceled<long>(new CancellationToken(canceled: true));
        }, -1L, idempotent: false, Ct));
        Assert.Equal(1, attempts);

        // The caller's own cancellation still throws.
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Db.ExecuteAsync("Test", "k", 0, static (db, _) => db.StringSetAsync("k", "v"), false, idempotent: true, cancelled.Token));
    }

    [Fact]
    public void An_embedded_script_is_named_after_its_file_and_the_cache_scripts_are_the_daemons()
    {
        var library = typeof(RedisDb).Assembly;
        Assert.Equal("delete_if_equal", RedisLuaScript.FromResource(library, "RedisFlow.Scripts.delete_if_equal.lua").Name);
        Assert.DoesNotContain(library.GetManifestResourceNames(), n => n.Contains("cache_", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => RedisLuaScript.FromResource(library, "RedisFlow.Scripts.missing.lua"));
    }
}
