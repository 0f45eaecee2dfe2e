using System.Diagnostics;
using System.Globalization;
using RedisFlow.Benchmarks.Harness;
using RedisFlow.Benchmarks.Scenarios;
using RedisFlow.CacheServer;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Storage;
using RedisFlow.Embedded;
using RedisFlow.Tasks.Sqlite;
using StackExchange.Redis;

namespace RedisFlow.Benchmarks.Cache;

// TEMPORARY local A/B harness (not committed).
public static class CacheAb
{
    private static async Task<double> ServerCpuAsync(RedisServerProcess server)
    {
        var info = await server.SendRawAsync(CancellationToken.None, "INFO", "cpu");
        double total = 0;
        foreach (var line in info.Split('\n'))
        {
            if (line.StartsWith("used_cpu_sys:", StringComparison.Ordinal) || line.StartsWith("used_cpu_user:", StringComparison.Ordinal))
                total += double.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
        }
        return total;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var rounds = int.Parse(args[0], CultureInfo.InvariantCulture);
        var variants = args.Skip(1).ToArray(); // "raw", "py", "P:C" (parallel:chunksInFlight)
        await using var server = await RedisServerProcess.StartAsync();
        var sizes = new BenchSizes();
        var results = new Dictionary<string, List<double>>();
        var mux = await ConnectionMultiplexer.ConnectAsync(server.Endpoint + ",defaultDatabase=1");
        var raw = mux.GetDatabase(1);
        foreach (var set in FileSet.Both(sizes))
        {
            var files = set.Generate();
            using var data = await CacheWarmData.CreateAsync(set, files, CancellationToken.None);
            await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = server.Endpoint, Db = 1 });
            for (var round = 0; round < rounds; round++)
            {
                foreach (var v in variants)
                {
                    await server.SendRawAsync(CancellationToken.None, "FLUSHALL");
                    double seconds;
                    double clientCpu = 0;
                    var serverCpu0 = await ServerCpuAsync(server);
                    var selfCpu0 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
                    if (v == "raw")
                    {
                        var sw = Stopwatch.StartNew();
                        for (var i = 0; i < files.Length; i++)
                        {
                            await raw.StringSetAsync(data.Keys[i], files[i], TimeSpan.FromMinutes(12));
                        }
                        seconds = sw.Elapsed.TotalSeconds;
                    }
                    else if (v.StartsWith("sock", StringComparison.Ordinal))
                    {
                        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                        await socket.ConnectAsync(System.Net.IPAddress.Loopback, server.Port);
                        var reply = new byte[64];
                        await socket.SendAsync("*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n"u8.ToArray());
                        await socket.ReceiveAsync(reply);
                        var sw = Stopwatch.StartNew();
                        for (var i = 0; i < files.Length; i++)
                        {
                            var key = data.Keys[i];
                            var head = System.Text.Encoding.ASCII.GetBytes($"*5\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n${files[i].Length}\r\n");
                            await socket.SendAsync(head);
                            if (v == "sock") await socket.SendAsync(files[i]);
                            else
                            {
                                var slice = int.Parse(v[4..], CultureInfo.InvariantCulture) * 1024;
                                for (var off = 0; off < files[i].Length; off += slice)
                                {
                                    await socket.SendAsync(files[i].AsMemory(off, Math.Min(slice, files[i].Length - off)));
                                    await Task.Delay(1);
                                }
                            }
                            await socket.SendAsync("\r\n$2\r\nEX\r\n$3\r\n720\r\n"u8.ToArray());
                            var n = await socket.ReceiveAsync(reply);
                            if (n < 5 || reply[0] != (byte)'+') throw new InvalidOperationException(System.Text.Encoding.ASCII.GetString(reply, 0, n));
                        }
                        seconds = sw.Elapsed.TotalSeconds;
                    }
                    else if (v == "py")
                    {
                        var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["/tmp/cacheperf/pyset.py", server.Port.ToString(CultureInfo.InvariantCulture), Path.Combine(data.Root, CacheWarmData.Bucket), set.Name]) { RedirectStandardOutput = true })!;
                        var o = await p.StandardOutput.ReadToEndAsync();
                        await p.WaitForExitAsync();
                        var parts2 = o.Trim().Split(' ');
                        seconds = double.Parse(parts2[0], CultureInfo.InvariantCulture);
                        clientCpu = double.Parse(parts2[1], CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        var parts = v.Split(':');
                        var options = new CacheOptions { ParallelFetches = int.Parse(parts[0], CultureInfo.InvariantCulture), ChunksInFlight = int.Parse(parts[1], CultureInfo.InvariantCulture) };
                        if (parts.Length > 2) options.ChunkSize = int.Parse(parts[2], CultureInfo.InvariantCulture) * 1024;
                        var cycle = new CacheCycle(db, new SqliteTaskSource(data.ConnectionString), new LocalFileStorage(data.Root), options);
                        var sw = Stopwatch.StartNew();
                        var report = await cycle.RunOnceAsync(CancellationToken.None);
                        seconds = sw.Elapsed.TotalSeconds;
                        if (report.Count(FileOutcome.Cached) != files.Length) throw new InvalidOperationException("not all cached " + v);
                    }
                    if (v != "py") clientCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - selfCpu0;
                    var serverCpu = await ServerCpuAsync(server) - serverCpu0;
                    if (round > 0 || rounds == 1)
                    {
                        var gb = set.Count * (double)set.Bytes / 1e9;
                        var kc = set.Name + " " + v + " cpu";
                        (results.TryGetValue(kc, out var lc) ? lc : results[kc] = []).Add((clientCpu + serverCpu) / gb);
                        var ks = set.Name + " " + v + " srv";
                        (results.TryGetValue(ks, out var ls) ? ls : results[ks] = []).Add(serverCpu / gb);
                        var k = set.Name + " " + v;
                        (results.TryGetValue(k, out var l) ? l : results[k] = []).Add(set.Count * (double)set.Bytes / 1e6 / seconds);
                    }
                }
            }
        }
        foreach (var (k, l) in results.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            l.Sort();
            Console.WriteLine($"{k,-20} median {l[l.Count / 2],8:F1} (MB/s, or CPU s per GB)  [{string.Join(", ", l.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))}]");
        }
        return 0;
    }
}
