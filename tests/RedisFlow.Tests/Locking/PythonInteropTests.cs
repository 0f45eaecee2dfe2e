using RedisFlow.Locking;
using RedisFlow.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisFlow.Tests.Locking;

/// <summary>
/// RAGFlow's Python holders use valkey-py's <c>Lock</c>: <c>SET lock_key token NX PX timeout</c> to acquire and a
/// compare-and-delete script to release (the seed's <c>delete_if_equal</c>). These tests send exactly those raw
/// commands, so a Python holder and a RedisFlow holder must exclude each other.
/// </summary>
public sealed class PythonInteropTests(RedisFixture fixture) : RedisTestBase(fixture)
{
    private static Task<bool> PythonAcquireAsync(IDatabase raw, string key, string token) =>
        raw.StringSetAsync(key, token, TimeSpan.FromSeconds(10), When.NotExists);

    private static async Task<bool> PythonReleaseAsync(IDatabase raw, string key, string token) =>
        (long)await raw.ScriptEvaluateAsync(LockTestHelpers.ValkeyPyReleaseScript, [key], [token]) == 1;

    [Fact]
    public async Task A_lock_held_by_python_is_respected_and_free_once_python_releases_it()
    {
        var raw = await Db.GetDatabaseAsync(Ct);
        var key = Key();
        Assert.True(await PythonAcquireAsync(raw, key, "py-token"));

        var csharp = new RedisDistributedLock(Db, key, blockingTimeout: TimeSpan.FromMilliseconds(200));
        Assert.False(await csharp.AcquireAsync(Ct));
        Assert.Equal("py-token", await Db.GetAsync(key, Ct));

        Assert.True(await PythonReleaseAsync(raw, key, "py-token"));
        Assert.True(await csharp.AcquireAsync(Ct));
        await csharp.ReleaseAsync();
    }

    [Fact]
    public async Task A_spinning_waiter_gets_the_lock_after_a_python_release_that_publishes_nothing()
    {
        var raw = await Db.GetDatabaseAsync(Ct);
        var key = Key();
        Assert.True(await PythonAcquireAsync(raw, key, "py-token"));

        await using var csharp = new RedisDistributedLock(Db, key);
        var waiting = csharp.SpinAcquireAsync(Ct);
        Assert.True(await PythonReleaseAsync(raw, key, "py-token"));

        // Found by the fallback polling (at most RedisLockOptions.MaxRetryDelay apart).
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(csharp.LockValue, await Db.GetAsync(key, Ct));
    }

    [Fact]
    public async Task A_lock_held_by_csharp_is_respected_by_python_and_only_its_token_releases_it()
    {
        var raw = await Db.GetDatabaseAsync(Ct);
        var key = Key();
        var csharp = new RedisDistributedLock(Db, key);
        Assert.True(await csharp.AcquireAsync(Ct));

        // The key is the plain lock_key with the token as its value, with a lease like valkey's PX.
        Assert.Equal(csharp.LockValue, (string?)await raw.StringGetAsync(key));
        var ttl = await raw.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        Assert.False(await PythonAcquireAsync(raw, key, "py-token"));
        Assert.False(await PythonReleaseAsync(raw, key, "py-token"));
        Assert.Equal(csharp.LockValue, (string?)await raw.StringGetAsync(key));

        // Python code that knows the C# token (the seed passes lock_value) may release it, as the seed would.
        Assert.True(await PythonReleaseAsync(raw, key, csharp.LockValue));
        Assert.True(await PythonAcquireAsync(raw, key, "py-token"));
        Assert.True(await PythonReleaseAsync(raw, key, "py-token"));
    }
}
