using System.Diagnostics;
using RedisFlow.Benchmarks.Cache;
using RedisFlow.Benchmarks.Harness;
using RedisFlow.Benchmarks.Peers;
using RedisFlow.Benchmarks.Scenarios;
using RedisFlow.Benchmarks.SeedPeer;
using RedisFlow.Embedded;

if (args.Length > 0 && args[0] == CacheWarmChild.Command)
{
    // The daemon side of cache-warm, started by the scenario in a process of its own.
    return await CacheWarmChild.RunAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == SeedPeerChild.Command)
{
    // RedisFlow's side of the python-peer rows, started by the scenario under the same placement as the Python peer.
    return await SeedPeerChild.RunAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == RedisFlow.Benchmarks.Locks.HandOverProcesses.Command)
{
    // One competitor of the lock scenario's cross-process hand-over, started by the scenario.
    return await RedisFlow.Benchmarks.Locks.HandOverProcesses.RunChildAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}

IScenario[] all =
[
    new KvScenario(),
    new QueueProduceScenario(),
    new QueueConsumeScenario(),
    new QueueLatencyScenario(),
    new LockScenario(),
    new CacheWarmScenario(),
    new PythonPeerScenario(),
];

BenchArguments arguments;
try
{
    arguments = BenchArguments.Parse(args, [.. all.Select(s => s.Name)]);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

if (arguments.Help)
{
    Console.WriteLine(BenchArguments.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;
var started = DateTimeOffset.UtcNow;
var clock = Stopwatch.StartNew();
var sizes = arguments.Quick ? BenchSizes.Quick : BenchSizes.Full;

await Prerequisites.EnsureAsync(line => Console.WriteLine(line), ct).ConfigureAwait(false);
await using var server = await RedisServerProcess.StartAsync((IEnumerable<string>?)null, ct).ConfigureAwait(false);
var context = new BenchContext(server, sizes, arguments.Quick, line => Console.WriteLine(line));
var info = await server.SendRawAsync(ct, "INFO", "server").ConfigureAwait(false);
var redisVersion = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("redis_version:", StringComparison.Ordinal))?[14..] ?? "?";
var machine = await MachineInfo.CollectAsync(redisVersion, await BullMq.NodeVersionAsync(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
Console.WriteLine($"redis-server {redisVersion} on {server.Endpoint}; {machine}");

var results = new List<ScenarioResult>();
foreach (var scenario in all.Where(s => arguments.Scenarios.Contains(s.Name)))
{
    Console.WriteLine($"== {scenario.Name}");
    var scenarioClock = Stopwatch.StartNew();
    await context.FlushAsync(ct).ConfigureAwait(false);
    var result = await scenario.RunAsync(context, ct).ConfigureAwait(false);
    Console.WriteLine($"== {scenario.Name} done in {scenarioClock.Elapsed.TotalSeconds:0.0} s");
    results.Add(result);
    var table = new System.Text.StringBuilder();
    MarkdownReport.AppendScenario(table, result);
    Console.WriteLine(table);
}

var command = "dotnet run -c Release --project bench/RedisFlow.Benchmarks --" +
              (arguments.Scenarios.Count == all.Length ? string.Empty : " " + string.Join(' ', arguments.Scenarios)) +
              (arguments.Quick ? " --quick" : string.Empty);
var report = new RunReport(started, clock.Elapsed, command.TrimEnd('-', ' '), arguments.Quick, machine, results);
var folder = arguments.OutputDirectory ?? RepoPaths.Results;
Directory.CreateDirectory(folder);
var stem = arguments.Quick ? "quick" : "latest";
await File.WriteAllTextAsync(Path.Combine(folder, $"{stem}.md"), MarkdownReport.Render(report), ct).ConfigureAwait(false);
await File.WriteAllTextAsync(Path.Combine(folder, $"{stem}.json"), JsonReport.Render(report), ct).ConfigureAwait(false);
Console.WriteLine($"Wrote {Path.Combine(folder, stem)}.md and .json in {clock.Elapsed.TotalSeconds:0} s.");
return 0;
