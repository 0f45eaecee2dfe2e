using RedisFlow.Testing;
using RedisFlow.Tests.Infrastructure;
using StackExchange.Redis;

namespace RedisFlow.Tests.Queues;

/// <summary>Queue tests on the shared server: unique queue names, raw access for checks independent of the library, bounded polling.</summary>
public abstract class QueueTestBase(RedisFixture fixture) : RedisTestBase(fixture)
{
    protected async Task<IDatabase> RawAsync() => await Db.GetDatabaseAsync(Ct);

    /// <summary>Polls <paramref name="condition"/> until true, at most <paramref name="limit"/> (default 20 s); fails the test past that.</summary>
    protected static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? limit = null, string? what = null) =>
        Poll.UntilAsync(condition, limit ?? TimeSpan.FromSeconds(20), what ?? "the condition", Ct);

    protected static Task WaitUntilAsync(Func<bool> condition, TimeSpan? limit = null, string? what = null) =>
        Poll.UntilAsync(condition, limit ?? TimeSpan.FromSeconds(20), what ?? "the condition", Ct);
}
