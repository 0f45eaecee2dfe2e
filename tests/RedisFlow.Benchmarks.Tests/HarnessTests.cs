using RedisFlow.Benchmarks.Harness;
using RedisFlow.Benchmarks.Peers;

namespace RedisFlow.Benchmarks.Tests;

/// <summary>The pieces that turn measurements into tables: parsing, statistics, targets, arguments.</summary>
public sealed class HarnessTests
{
    [Fact]
    public void Redis_benchmark_csv_is_parsed_including_a_custom_command_with_quotes()
    {
        const string Csv = """
            "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
            "SET","63291.14","0.5","0.1","0.4","0.9","1.2","3.0"
            "XADD s * message {"a":1}","160000.00","4.416","0.224","3.127","12.391","15.815","16.183"
            """;
        var rates = RedisBenchmarkTool.Parse(Csv);
        Assert.Equal(63291.14, rates["SET"], 2);
        Assert.Equal(160000.00, rates["XADD s * message {\"a\":1}"], 2);
        Assert.Equal(2, rates.Count);
    }

    [Fact]
    public void Sample_gives_median_min_and_max()
    {
        var odd = Sample.Of(5, 1, 3);
        Assert.Equal((3, 1, 5), (odd.Median, odd.Min, odd.Max));
        Assert.Equal(2.5, Sample.Of(4, 1, 2, 3).Median);
    }

    [Fact]
    public void Percentile_is_nearest_rank()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        Assert.Equal(50, Percentiles.Of(values, 0.5));
        Assert.Equal(99, Percentiles.Of(values, 0.99));
        Assert.Equal(100, Percentiles.Of(values, 1));
    }

    [Fact]
    public void Ratio_targets_compare_with_the_named_row_and_wait_for_missing_rows()
    {
        var table = new ScenarioResult("t", "d");
        table.Add(new ResultRow("raw", "ops/s", Sample.Of(100)));
        var good = table.Add(new ResultRow("fast", "ops/s", Sample.Of(95), "raw").With(Target.RatioAtLeast(0.9, "raw", "raw")));
        var bad = table.Add(new ResultRow("slow", "ops/s", Sample.Of(80), "raw").With(Target.RatioAtLeast(0.9, "raw", "raw")));
        var missing = table.Add(ResultRow.Unavailable("later", "ops/s", "not available yet", "raw").With(Target.RatioAtLeast(0.9, "raw", "raw")));

        Assert.Equal(TargetStatus.Met, table.Evaluate(good).Single().Status);
        Assert.Equal(TargetStatus.Missed, table.Evaluate(bad).Single().Status);
        Assert.Equal(TargetStatus.Pending, table.Evaluate(missing).Single().Status);
        Assert.Equal(0.95, table.RatioToBaseline(good), 3);
        Assert.True(double.IsNaN(table.RatioToBaseline(missing)));
    }

    [Fact]
    public void Bound_targets_check_the_median()
    {
        var table = new ScenarioResult("t", "d");
        var latency = table.Add(new ResultRow("p99", "ms", Sample.Of(0.8, 1.5, 0.9)).With(Target.AtMost(1, "ms")));
        var rate = table.Add(new ResultRow("files", "files/s", Sample.Of(1500)).With(Target.AtLeast(2000, "files/s")));
        Assert.Equal(TargetStatus.Met, table.Evaluate(latency).Single().Status);
        Assert.Equal(TargetStatus.Missed, table.Evaluate(rate).Single().Status);
    }

    [Fact]
    public void Arguments_select_scenarios_quick_and_output()
    {
        var known = new[] { "kv", "lock" };
        var all = BenchArguments.Parse([], known);
        Assert.Equal(known, all.Scenarios);
        Assert.False(all.Quick);

        var some = BenchArguments.Parse(["lock", "--quick", "--output", "/tmp/x"], known);
        Assert.Equal(["lock"], some.Scenarios);
        Assert.True(some.Quick);
        Assert.Equal("/tmp/x", some.OutputDirectory);

        Assert.Throws<ArgumentException>(() => BenchArguments.Parse(["nope"], known));
    }

    [Fact]
    public void Pinned_placement_starts_clients_under_taskset_on_the_client_cpu_and_unpinned_as_they_are()
    {
        var (program, args) = CpuPlacement.PinnedCpus.Wrap("/usr/bin/python3", ["peer.py", "--port", "1"]);
        Assert.EndsWith("taskset", program, StringComparison.Ordinal);
        Assert.Equal(["-c", "1", "/usr/bin/python3", "peer.py", "--port", "1"], args);

        var (same, unchanged) = CpuPlacement.Unpinned.Wrap("dotnet", ["x.dll"]);
        Assert.Equal("dotnet", same);
        Assert.Equal(["x.dll"], unchanged);
        Assert.Null(CpuPlacement.Unpinned.Unavailable);
    }
}
