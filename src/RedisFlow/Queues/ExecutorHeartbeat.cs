using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RedisFlow.Locking;

namespace RedisFlow.Queues;

/// <summary>What a registered worker reports in its heartbeat besides who it is.</summary>
internal readonly record struct ExecutorCounters(long Done, long Failed, IReadOnlyList<RedisMsg> Current);

/// <summary>
/// A worker registered as a RAGFlow task executor (<see cref="QueueWorkerOptions.RegisterAsRagflowExecutor"/>): it
/// is in <c>TASKEXE</c>, writes RAGFlow's heartbeat into the sorted set named after its consumer every interval, drops
/// its own heartbeats older than 30 minutes, and, under RAGFlow's <c>clean_task_executor</c> lock, removes executors
/// whose newest heartbeat is older than the timeout, exactly as <c>report_status</c> in RAGFlow's
/// <c>task_executor.py</c> does, so Python executors and these workers share one fleet and one status page.
/// </summary>
internal sealed class ExecutorHeartbeat(ExecutorFleet fleet, QueueWorkerOptions options, Func<ExecutorCounters> counters, ILogger logger)
{
    private readonly string _name = options.ConsumerName;
    private readonly string _bootAt = Timestamp(DateTimeOffset.Now);
    private string? _ip;

    /// <summary>Beats until <paramref name="ct"/> fires; a failed beat is logged and the next one tries again.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval);
        try
        {
            do
            {
                try
                {
                    // Not cancelled midway (each call is bounded by the operation timeout): a write still in flight
                    // when the worker stops could otherwise land after LeaveAsync and register it again.
                    await BeatAsync(CancellationToken.None).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // The heartbeat must outlive a failing Redis; RedisDb already logged what failed.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    QueueLog.LoopFailed(logger, string.Join(",", options.Queues), "heartbeat", options.HeartbeatInterval, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Leaves the fleet on a graceful stop (RAGFlow's executors just vanish and are removed after the timeout): its
    /// entries still pending become claimable by idle time at once, instead of after the timeout.
    /// </summary>
    public async Task LeaveAsync()
    {
        await fleet.Db.SRemAsync(ExecutorFleet.RegistryKey, _name, CancellationToken.None).ConfigureAwait(false);
        await fleet.Db.DeleteAsync(_name, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task BeatAsync(CancellationToken ct)
    {
        var db = fleet.Db;
        // Every beat, not once as RAGFlow does: a worker another executor removed (a pause longer than the timeout)
        // comes back in the next beat.
        await db.SAddAsync(ExecutorFleet.RegistryKey, _name, ct).ConfigureAwait(false);
        var now = DateTimeOffset.Now;
        var nowSeconds = now.ToUnixTimeMilliseconds() / 1000.0;
        var heartbeat = await HeartbeatJsonAsync(now, ct).ConfigureAwait(false);
        await db.ZAddAsync(_name, heartbeat, nowSeconds, ct).ConfigureAwait(false);
        await db.ZRemRangeByScoreAsync(_name, 0, nowSeconds - ExecutorFleet.HeartbeatRetention.TotalSeconds, ct).ConfigureAwait(false);
        await CleanExpiredAsync(nowSeconds, ct).ConfigureAwait(false);
    }

    /// <summary>RAGFlow's cleaning: one executor at a time (the lock, valued with the executor's name) removes the silent ones.</summary>
    private async Task CleanExpiredAsync(double now, CancellationToken ct)
    {
        var db = fleet.Db;
        await using var cleaning = new RedisDistributedLock(db, ExecutorFleet.CleanLockKey, _name, ExecutorFleet.CleanLockLease, TimeSpan.Zero);
        if (!await cleaning.AcquireAsync(ct).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            foreach (var executor in await fleet.MembersAsync(ct).ConfigureAwait(false) ?? new HashSet<string>())
            {
                if (executor == _name)
                {
                    continue;
                }

                var (ok, score) = await fleet.LastHeartbeatAsync(executor, ct).ConfigureAwait(false);
                if (ok && ExecutorFleet.IsExpired(score, now, options.ExecutorHeartbeatTimeout))
                {
                    QueueLog.ExecutorExpired(logger, executor, options.ExecutorHeartbeatTimeout);
                    await db.SRemAsync(ExecutorFleet.RegistryKey, executor, ct).ConfigureAwait(false);
                    await db.DeleteAsync(executor, ct).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await cleaning.ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>RAGFlow's heartbeat: ip_address, pid, name, now, boot_at, pending, lag, done, failed, current.</summary>
    private async Task<string> HeartbeatJsonAsync(DateTimeOffset now, CancellationToken ct)
    {
        _ip ??= await LocalAddressAsync(ct).ConfigureAwait(false);
        long pending = 0, lag = 0;
        foreach (var queue in options.Queues)
        {
            var info = await fleet.Db.Queue.InfoAsync(queue, options.GroupName, ct).ConfigureAwait(false);
            pending += info?.Pending ?? 0;
            lag += info?.Lag ?? 0;
        }

        var state = counters();
        using var buffer = new MemoryStream();
        // RedisFlowJson's encoder: '+' of the UTC offset and non-ASCII text written as such, as Python's json.dumps
        // output reads after decoding (the default encoder would escape '+' as \u002B).
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = RedisFlowJson.Options.Encoder }))
        {
            json.WriteStartObject();
            json.WriteString("ip_address", _ip);
            json.WriteNumber("pid", Environment.ProcessId);
            json.WriteString("name", _name);
            json.WriteString("now", Timestamp(now));
            json.WriteString("boot_at", _bootAt);
            json.WriteNumber("pending", pending);
            json.WriteNumber("lag", lag);
            json.WriteNumber("done", state.Done);
            json.WriteNumber("failed", state.Failed);
            // RAGFlow maps each running task's id to the task; here each running entry's id to its message.
            json.WriteStartObject("current");
            foreach (var message in state.Current)
            {
                json.WritePropertyName(message.Id);
                message.GetMessage().WriteTo(json);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Python's <c>datetime.now().astimezone().isoformat(timespec="milliseconds")</c>: local time with its offset.</summary>
    internal static string Timestamp(DateTimeOffset time) =>
        time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private static async Task<string> LocalAddressAsync(CancellationToken ct)
    {
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(Dns.GetHostName(), ct).ConfigureAwait(false);
            var address = addresses.FirstOrDefault(static a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
            return (address ?? IPAddress.Loopback).ToString();
        }
        catch (SocketException)
        {
            return IPAddress.Loopback.ToString();
        }
    }
}
