using System.Globalization;
using RedisFlow.Benchmarks.Harness;
using RedisFlow.Embedded;

namespace RedisFlow.Benchmarks.Peers;

/// <summary>
/// <c>redis-benchmark</c> (redis-tools) against the run's server: the server's own limit for a command, with 50
/// clients as its default, at a given pipeline depth. Parsed from its <c>--csv</c> output.
/// </summary>
public static class RedisBenchmarkTool
{
    public const int Clients = 50;

    /// <summary>Requests per second per test name (SET, GET, or the custom command's text).</summary>
    public static async Task<IReadOnlyDictionary<string, double>> RunAsync(
        RedisServerProcess server, int requests, int pipeline, IReadOnlyList<string> testsOrCommand, bool customCommand, CancellationToken ct)
    {
        var program = ExternalProgram.Require("redis-benchmark", "redis-tools");
        var args = new List<string>
        {
            "-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture),
            "-n", requests.ToString(CultureInfo.InvariantCulture),
            "-c", Clients.ToString(CultureInfo.InvariantCulture),
            "-P", pipeline.ToString(CultureInfo.InvariantCulture),
            "--dbnum", BenchContext.Database.ToString(CultureInfo.InvariantCulture),
            "--csv",
        };
        if (customCommand)
        {
            args.AddRange(testsOrCommand);
        }
        else
        {
            args.Add("-t");
            args.Add(string.Join(',', testsOrCommand));
        }

        return await RunProgramAsync(program, args, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// SETs of <paramref name="valueBytes"/>-byte values on new keys (random among 10^8), one client, no pipelining,
    /// the program placed by <paramref name="placement"/>: how fast redis-server itself takes values of that size
    /// into memory it has to allocate. Requests per second.
    /// </summary>
    public static async Task<double> SetNewKeysAsync(RedisServerProcess server, int requests, int valueBytes, CpuPlacement placement, CancellationToken ct)
    {
        var (program, args) = placement.Wrap(ExternalProgram.Require("redis-benchmark", "redis-tools"),
        [
            "-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture),
            "-n", requests.ToString(CultureInfo.InvariantCulture),
            "-c", "1",
            "-d", valueBytes.ToString(CultureInfo.InvariantCulture),
            "-r", "100000000",
            "--dbnum", BenchContext.Database.ToString(CultureInfo.InvariantCulture),
            "--csv",
            "-t", "set",
        ]);
        return (await RunProgramAsync(program, args, ct).ConfigureAwait(false))["SET"];
    }

    private static async Task<IReadOnlyDictionary<string, double>> RunProgramAsync(string program, IReadOnlyList<string> args, CancellationToken ct)
    {
        var outcome = await ChildProcess.RunAsync(program, args, TimeSpan.FromMinutes(3), ct: ct).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-benchmark exited with {outcome.ExitCode}: {outcome.StandardError}");
        }

        return Parse(outcome.StandardOutput);
    }

    /// <summary>Reads lines such as <c>"SET","63291.14","0.5",...</c>; the rate is the 7th field from the end.</summary>
    public static IReadOnlyDictionary<string, double> Parse(string csv)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split("\",\"");
            if (fields.Length < 8 || fields[0] == "\"test")
            {
                continue;
            }

            var name = string.Join("\",\"", fields[..^7]).TrimStart('"');
            if (double.TryParse(fields[^7], NumberStyles.Float, CultureInfo.InvariantCulture, out var rps))
            {
                result[name] = rps;
            }
        }

        if (result.Count == 0)
        {
            throw new InvalidOperationException($"No rate in redis-benchmark's output: {csv}");
        }

        return result;
    }
}
