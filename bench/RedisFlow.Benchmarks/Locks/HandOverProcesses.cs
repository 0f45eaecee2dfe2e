using System.Diagnostics;
using System.Globalization;
using System.Text;
using RedisFlow.Locking;

namespace RedisFlow.Benchmarks.Locks;

/// <summary>
/// Contended hand-over across processes: <see cref="HandOver.Waiters"/> child processes (each its own
/// <see cref="RedisDb"/>) compete for one <see cref="RedisDistributedLock"/>, each holding it about a millisecond and
/// asking again at once after its release, as <see cref="HandOver"/> does in one process. Every child stamps its
/// acquisitions and releases with <see cref="Stopwatch.GetTimestamp"/> (the system's monotonic clock, shared by the
/// processes); the parent merges them and measures as <see cref="HandOver"/> does.
/// </summary>
public static class HandOverProcesses
{
    public const string Command = "lock-handover-child";

    /// <summary>Runs <see cref="HandOver.Waiters"/> children for <paramref name="duration"/> after all are ready.</summary>
    public static async Task<HandOver.Result> MeasureAsync(string endpoint, int database, string key, int handOvers, TimeSpan duration, CancellationToken ct)
    {
        var dll = typeof(HandOverProcesses).Assembly.Location;
        var children = new List<Process>();
        try
        {
            for (var i = 0; i < HandOver.Waiters; i++)
            {
                var info = new ProcessStartInfo("dotnet")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardInput = true,
                    UseShellExecute = false,
                };
                foreach (var arg in new[] { dll, Command, endpoint, database.ToString(CultureInfo.InvariantCulture), key, i.ToString(CultureInfo.InvariantCulture), ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) })
                {
                    info.ArgumentList.Add(arg);
                }

                children.Add(Process.Start(info)!);
            }

            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(duration + TimeSpan.FromMinutes(1));
            // Start together once every child is connected and warm.
            foreach (var child in children)
            {
                var line = await child.StandardOutput.ReadLineAsync(limit.Token).ConfigureAwait(false);
                if (line != "READY")
                {
                    throw new InvalidOperationException($"A hand-over child did not start: {line}");
                }
            }

            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync("GO").ConfigureAwait(false);
                await child.StandardInput.FlushAsync(limit.Token).ConfigureAwait(false);
            }

            var outputs = await Task.WhenAll(children.Select(c => c.StandardOutput.ReadToEndAsync(limit.Token))).ConfigureAwait(false);
            return Analyse(outputs, handOvers);
        }
        finally
        {
            foreach (var child in children)
            {
                if (!child.HasExited)
                {
                    child.Kill(entireProcessTree: true);
                }

                child.Dispose();
            }
        }
    }

    /// <summary>The child: <c>endpoint database key index durationMs</c>; prints <c>a|r index timestamp</c> lines.</summary>
    public static async Task<int> RunChildAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var (endpoint, database, key, me) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
        var duration = TimeSpan.FromMilliseconds(long.Parse(args[4], CultureInfo.InvariantCulture));
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = endpoint, Db = database, ClientName = $"bench-handover-{me}" }, null, ct).ConfigureAwait(false);
        for (var i = 0; i < 200; i++)
        {
            // Warm the code paths on a key of our own.
            await using var warm = new RedisDistributedLock(db, $"{key}:warm:{me}", timeout: TimeSpan.FromSeconds(10), blockingTimeout: TimeSpan.Zero);
            _ = await warm.AcquireAsync(ct).ConfigureAwait(false);
        }

        Console.WriteLine("READY");
        _ = await Console.In.ReadLineAsync(ct).ConfigureAwait(false);
        var events = new StringBuilder();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var redisLock = new RedisDistributedLock(db, key, timeout: TimeSpan.FromSeconds(10), blockingTimeout: TimeSpan.FromSeconds(5));
            if (!await redisLock.AcquireAsync(ct).ConfigureAwait(false))
            {
                continue;
            }

            events.Append(CultureInfo.InvariantCulture, $"a {me} {Stopwatch.GetTimestamp()}\n");
            await Task.Delay(1, ct).ConfigureAwait(false);
            events.Append(CultureInfo.InvariantCulture, $"r {me} {Stopwatch.GetTimestamp()}\n");
            await redisLock.DisposeAsync().ConfigureAwait(false);
        }

        Console.Write(events.ToString());
        return 0;
    }

    private static HandOver.Result Analyse(string[] outputs, int handOvers)
    {
        var events = new List<(long At, int Who, bool Acquired)>();
        foreach (var line in outputs.SelectMany(o => o.Split('\n', StringSplitOptions.RemoveEmptyEntries)))
        {
            var fields = line.Split(' ');
            if (fields.Length == 3 && fields[0] is "a" or "r")
            {
                events.Add((long.Parse(fields[2], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture), fields[0] == "a"));
            }
        }

        events.Sort();
        var latencies = new List<double>();
        var (acquisitions, reTakes, lastHolder, pendingSince) = (0, 0, -1, 0L);
        foreach (var (at, who, acquired) in events)
        {
            if (!acquired)
            {
                pendingSince = pendingSince == 0 ? at : pendingSince;
                lastHolder = who;
                continue;
            }

            acquisitions++;
            if (who == lastHolder)
            {
                reTakes++;
            }
            else if (pendingSince != 0)
            {
                if (latencies.Count < handOvers)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(pendingSince, at).TotalMilliseconds);
                }

                pendingSince = 0;
            }
        }

        return new HandOver.Result(latencies, acquisitions, reTakes);
    }
}
