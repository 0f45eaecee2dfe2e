using System.Diagnostics;

namespace RedisFlow.Testing;

/// <summary>
/// The one way tests wait for a condition: poll it every 20 ms up to a deadline (never a fixed sleep), and fail with a
/// <see cref="TimeoutException"/> naming what was awaited.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Polls <paramref name="condition"/> until true; throws <see cref="TimeoutException"/> naming <paramref name="what"/>
    /// after <paramref name="limit"/>. A connection error while a server is still starting counts as "not yet".
    /// </summary>
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

            await Task.Delay(Interval, ct).ConfigureAwait(false);
        }

        throw new TimeoutException($"Gave up after {limit.TotalSeconds:0.#} s waiting for {what}.", last);
    }

    /// <summary>The synchronous-condition form of <see cref="UntilAsync(Func{Task{bool}}, TimeSpan, string, CancellationToken)"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan limit, string what, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), limit, what, ct);
    }
}
