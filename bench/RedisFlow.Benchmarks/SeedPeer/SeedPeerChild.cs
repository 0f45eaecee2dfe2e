using System.Globalization;
using System.Text.Json;
using RedisFlow.Benchmarks.Harness;
using StackExchange.Redis;

namespace RedisFlow.Benchmarks.SeedPeer;

/// <summary>
/// The RedisFlow side of the Python-peer rows as a process of its own (so it can be pinned to the client CPU like
/// the Python peer): started as <c>RedisFlow.Benchmarks seed-peer-child ENDPOINT DB</c>, it speaks the line
/// protocol of <see cref="Peers.LineProtocolPeer"/> with the same commands as bench/python/seed_peer.py, plus
/// <c>rawset ROOT KEY...</c> and <c>rawsetall ROOT KEY...</c> (the raw StackExchange.Redis baselines of the cache rows).
/// </summary>
public static class SeedPeerChild
{
    public const string Command = "seed-peer-child";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var (endpoint, database) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture));
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = endpoint, Db = database, ClientName = "bench-redisflow" }, null, ct).ConfigureAwait(false);
        var options = ConfigurationOptions.Parse(endpoint);
        options.DefaultDatabase = database;
        options.ClientName = "bench-raw";
        await using var raw = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        var calls = new RedisFlowSeedCalls(db, raw.GetDatabase(database));
        Console.WriteLine($"READY RedisFlow {typeof(RedisDb).Assembly.GetName().Version}");
        while (await Console.In.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0] == "quit")
            {
                break;
            }

            try
            {
                var result = await RunCommandAsync(calls, words, ct).ConfigureAwait(false);
                Console.WriteLine($"RESULT {result}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Reported to the harness, which marks the row with it; the child stays up for the next command.
                Console.WriteLine($"ERROR {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
            }
        }

        return 0;
    }

    private static async Task<string> RunCommandAsync(RedisFlowSeedCalls calls, string[] words, CancellationToken ct)
    {
        int Int(int index) => int.Parse(words[index], CultureInfo.InvariantCulture);
        static string Rate(double rate) => JsonSerializer.Serialize(new Dictionary<string, double> { ["rate"] = rate });
        switch (words[0])
        {
            case "produce":
                return Rate(await calls.ProduceAsync(words[1], Int(2)).ConfigureAwait(false));
            case "consume":
                return Rate(await calls.ConsumeAsync(words[1], words[2], words[3], Int(4)).ConfigureAwait(false));
            case "lock":
                return Rate(await calls.LockCyclesAsync(words[1], Int(2)).ConfigureAwait(false));
            case "get":
                return Rate(await calls.GetAsync(words[1], Int(2), Int(3)).ConfigureAwait(false));
            case "set":
                return Rate(await calls.SetAsync(words[1], Int(2), Int(3)).ConfigureAwait(false));
            case "rawset" or "rawsetall":
                var (seconds, bytes) = await calls.RawSetFilesAsync(words[1], words[2..], pipelined: words[0] == "rawsetall", ct).ConfigureAwait(false);
                return JsonSerializer.Serialize(new Dictionary<string, double> { ["seconds"] = seconds, ["cached"] = words.Length - 2, ["bytes"] = bytes });
            default:
                throw new ArgumentException($"Unknown command '{words[0]}'.");
        }
    }
}
