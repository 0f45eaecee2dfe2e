using System.Diagnostics;

namespace RedisFlow.Testing.Topologies;

/// <summary>Waits for a condition by polling it, up to a deadline (never a fixed sleep).</summary>
public static class Poll
{
    /// <summary>Polls <paramref name="condition"/> every 50 ms until true; throws <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="limit"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < limit)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                if (await condition().ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                last = ex;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), ct).ConfigureAwait(false);
        }

        throw new TimeoutException($"Gave up after {limit.TotalSeconds:0.#} s waiting for {what}.", last);
    }
}
