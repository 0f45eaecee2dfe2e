using System.Text.Json;
using RedisFlow.Testing.Processes;

namespace RedisFlow.Benchmarks.Tests;

/// <summary>
/// Runs the whole benchmark once with <c>--quick</c> so it never rots. It checks that every scenario ran and wrote
/// its table, never how fast anything was (timings belong to the benchmark, not to tests).
/// </summary>
public sealed class QuickRunSmokeTests
{
    private static readonly string[] Scenarios = ["kv", "queue-produce", "queue-consume", "queue-latency", "lock", "cache-warm", "python-peer"];

    /// <summary>The sides of every python-peer case; each must have measured in the smoke run (python3-redis is a prerequisite).</summary>
    private static readonly string[] PythonPeerSides = ["Python seed", "RedisFlow"];

    [Fact]
    public async Task Quick_run_of_every_scenario_completes_and_writes_markdown_and_json()
    {
        var output = Directory.CreateTempSubdirectory("redisflow-bench-smoke-").FullName;
        try
        {
            var (exitCode, stdout, stderr) = await RunBenchmarkAsync(TimeSpan.FromMinutes(8), "--quick", "--output", output);
            Assert.True(exitCode == 0, $"exit code {exitCode}\n{stderr}\n{stdout}");

            var markdown = await File.ReadAllTextAsync(Path.Combine(output, "quick.md"), TestContext.Current.CancellationToken);
            var json = await File.ReadAllTextAsync(Path.Combine(output, "quick.json"), TestContext.Current.CancellationToken);
            Assert.False(File.Exists(Path.Combine(output, "latest.md")), "a quick run must not write the full run's file");
            foreach (var scenario in Scenarios)
            {
                Assert.Contains($"## {scenario}", markdown, StringComparison.Ordinal);
            }

            using var doc = JsonDocument.Parse(json);
            Assert.True(doc.RootElement.GetProperty("quick").GetBoolean());
            var names = doc.RootElement.GetProperty("scenarios").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToArray();
            Assert.Equal(Scenarios, names);
            AssertPythonPeerRows(doc.RootElement.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "python-peer"));
            foreach (var scenario in doc.RootElement.GetProperty("scenarios").EnumerateArray())
            {
                var rows = scenario.GetProperty("rows").EnumerateArray().ToArray();
                Assert.NotEmpty(rows);

                // Each scenario measured at least its raw baseline, and a row without a number says why.
                Assert.Contains(rows, r => r.GetProperty("available").GetBoolean());
                foreach (var row in rows)
                {
                    if (row.GetProperty("available").GetBoolean())
                    {
                        Assert.Equal(JsonValueKind.Number, row.GetProperty("median").ValueKind);
                    }
                    else
                    {
                        Assert.False(string.IsNullOrWhiteSpace(row.GetProperty("note").GetString()), $"{row.GetProperty("case")} has neither a number nor a reason");
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>
    /// The python-peer rows ran on both sides, pinned and unpinned: the Python original (bench/python/seed_peer.py)
    /// and RedisFlow each measured every case. A row left without a number fails here, with its reason, unless the
    /// placement itself cannot be made on this machine (pinning needs CPUs 0 and 1 and taskset).
    /// </summary>
    private static void AssertPythonPeerRows(JsonElement scenario)
    {
        var rows = scenario.GetProperty("rows").EnumerateArray().ToArray();
        foreach (var placement in new[] { "pinned", "unpinned" })
        {
            foreach (var side in PythonPeerSides)
            {
                var mine = rows.Where(r => r.GetProperty("case").GetString()!.EndsWith($", {placement}, {side}", StringComparison.Ordinal)).ToArray();
                Assert.True(mine.Length >= 7, $"{placement}, {side}: {mine.Length} rows, expected produce, consume+ack, lock, Get, Set and two cache rows");
                foreach (var row in mine.Where(r => !r.GetProperty("available").GetBoolean()))
                {
                    var note = row.GetProperty("note").GetString() ?? string.Empty;
                    Assert.True(placement == "pinned" && (note.Contains("pinning needs", StringComparison.Ordinal) || note.Contains("taskset", StringComparison.Ordinal)),
                        $"{row.GetProperty("case")} was not measured: {note}");
                }
            }
        }
    }

    [Fact]
    public async Task Unknown_scenario_is_refused_with_the_usage()
    {
        var (exitCode, _, stderr) = await RunBenchmarkAsync(TimeSpan.FromMinutes(1), "no-such-scenario");
        Assert.Equal(2, exitCode);
        Assert.Contains("Usage:", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunBenchmarkAsync(TimeSpan limit, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "RedisFlow.Benchmarks.dll");
        var result = await ChildProcess.RunAsync("dotnet", [dll, .. args], limit, ct: TestContext.Current.CancellationToken);
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
