using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RedisFlow.Benchmarks.Harness;
using RedisFlow.Embedded;

namespace RedisFlow.Benchmarks.Peers;

/// <summary>
/// BullMQ, the most used Redis job queue, run by <c>bench/bullmq/bench.mjs</c> on Node against the run's server.
/// Installs its pinned packages with <c>npm ci</c> the first time (package-lock.json is committed).
/// </summary>
public sealed class BullMq(RedisServerProcess server)
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static string? _installFailure;
    private static bool _installed;

    public static string Script => Path.Combine(RepoPaths.BullMq, "bench.mjs");

    /// <summary>The BullMQ version the lock file pins, for row names.</summary>
    public static string Version
    {
        get
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.BullMq, "package.json")));
                return doc.RootElement.GetProperty("dependencies").GetProperty("bullmq").GetString() ?? "?";
            }
            catch (IOException)
            {
                return "?";
            }
        }
    }

    /// <summary><c>node --version</c>, or "not installed".</summary>
    public static async Task<string> NodeVersionAsync(CancellationToken ct)
    {
        var node = ExternalProgram.Find("node");
        if (node is null)
        {
            return "not installed";
        }

        var outcome = await ChildProcess.RunAsync(node, ["--version"], TimeSpan.FromSeconds(30), ct: ct).ConfigureAwait(false);
        return outcome.StandardOutput.Trim();
    }

    /// <summary>Runs <c>npm ci</c> in bench/bullmq when its node_modules are missing; throws <see cref="PeerUnavailableException"/> when it cannot.</summary>
    public static async Task EnsureInstalledAsync(Action<string> progress, CancellationToken ct)
    {
        await InstallGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_installed)
            {
                return;
            }

            if (_installFailure is not null)
            {
                throw new PeerUnavailableException(_installFailure);
            }

            var node = ExternalProgram.Find("node");
            var npm = ExternalProgram.Find("npm");
            if (node is null || npm is null)
            {
                _installFailure = "node/npm not installed (apt-get install nodejs npm; scripts/install-prereqs.sh bench does it)";
                throw new PeerUnavailableException(_installFailure);
            }

            if (!File.Exists(Path.Combine(RepoPaths.BullMq, "node_modules", "bullmq", "package.json")))
            {
                progress("  installing BullMQ: npm ci in bench/bullmq");
                var outcome = await ChildProcess.RunAsync(npm, ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5), new ChildProcessOptions { WorkingDirectory = RepoPaths.BullMq }, ct).ConfigureAwait(false);
                if (outcome.ExitCode != 0)
                {
                    _installFailure = $"npm ci failed ({outcome.ExitCode}): {LastLine(outcome.StandardError)}";
                    throw new PeerUnavailableException(_installFailure);
                }
            }

            _installed = true;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <summary>Jobs added per second, one rate per repetition; one awaited <c>add</c> at a time, or <c>addBulk</c> of 1,000.</summary>
    public async Task<IReadOnlyList<double>> AddAsync(int count, int repetitions, bool bulk, CancellationToken ct)
    {
        var result = await RunAsync(ct, "add", "--count", Text(count), "--reps", Text(repetitions), "--bulk", bulk ? "1" : "0").ConfigureAwait(false);
        return Rates(result);
    }

    /// <summary>Jobs processed (fetched, run, completed) per second by one Worker at <paramref name="concurrency"/>.</summary>
    public async Task<IReadOnlyList<double>> ProcessAsync(int count, int repetitions, int concurrency, CancellationToken ct)
    {
        var result = await RunAsync(ct, "process", "--count", Text(count), "--reps", Text(repetitions), "--concurrency", Text(concurrency)).ConfigureAwait(false);
        return Rates(result);
    }

    /// <summary>Delivery latency (ms) of jobs added at <paramref name="rate"/>/s to an idle Worker.</summary>
    public async Task<(double P50, double P99, double Max, int Count)> LatencyAsync(int rate, int seconds, CancellationToken ct)
    {
        var result = await RunAsync(ct, "latency", "--rate", Text(rate), "--seconds", Text(seconds)).ConfigureAwait(false);
        var root = result.RootElement;
        return (root.GetProperty("p50").GetDouble(), root.GetProperty("p99").GetDouble(), root.GetProperty("max").GetDouble(), root.GetProperty("count").GetInt32());
    }

    /// <summary>Commands per second the server executes while one BullMQ Worker waits on an empty queue.</summary>
    public async Task<(double Rate, string Breakdown)> IdleCommandsPerSecondAsync(TimeSpan settle, TimeSpan window, CancellationToken ct)
    {
        await EnsureInstalledAsync(_ => { }, ct).ConfigureAwait(false);
        var info = NodeStart("idle", "--seconds", Text((int)(settle + window).TotalSeconds + 30));
        using var process = new Process { StartInfo = info };
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => { if (e.Data == "READY") { ready.TrySetResult(); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
            await Task.Delay(settle, ct).ConfigureAwait(false);
            return await CommandStats.RateAsync(server, window, ct).ConfigureAwait(false);
        }
        finally
        {
            process.StandardInput.Close();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private async Task<JsonDocument> RunAsync(CancellationToken ct, params string[] args)
    {
        await EnsureInstalledAsync(_ => { }, ct).ConfigureAwait(false);
        var info = NodeStart(args);
        var outcome = await ChildProcess.RunAsync(info.FileName, info.ArgumentList, TimeSpan.FromMinutes(5), new ChildProcessOptions { WorkingDirectory = RepoPaths.BullMq }, ct).ConfigureAwait(false);
        var line = outcome.StandardOutput.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (outcome.ExitCode != 0 || line is null)
        {
            throw new PeerUnavailableException($"bench.mjs {args[0]} failed ({outcome.ExitCode}): {LastLine(outcome.StandardError)}");
        }

        return JsonDocument.Parse(line[7..]);
    }

    private ProcessStartInfo NodeStart(params string[] args) =>
        ChildProcess.StartInfo(ExternalProgram.Require("node", "nodejs"), [Script, .. args, "--port", Text(server.Port)],
            new ChildProcessOptions { WorkingDirectory = RepoPaths.BullMq, RedirectInput = true });

    private static List<double> Rates(JsonDocument result) =>
        [.. result.RootElement.GetProperty("rates").EnumerateArray().Select(e => e.GetDouble())];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
}
