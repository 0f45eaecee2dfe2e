using System.Net;
using System.Text.Json;
using RedisFlow.SampleData;
using RedisFlow.Testing;

namespace RedisFlow.Cli.Tests;

/// <summary><c>redisflow serve --metrics-port</c>: /metrics in Prometheus text, /healthz, /readyz, and JSON log lines.</summary>
public sealed class ServeMetricsTests(RedisFixture fixture)
{
    private readonly SharedRedis redis = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_answers_metrics_healthz_and_readyz_on_loopback_and_logs_json_lines()
    {
        var data = Directory.CreateTempSubdirectory("redisflow-cli-metrics-").FullName;
        var kb = RagflowRows.NewId();
        Directory.CreateDirectory(Path.Combine(data, "files", kb));
        await File.WriteAllTextAsync(Path.Combine(data, "files", kb, "scraped.txt"), "scraped", Ct);
        var rows = new RagflowRows();
        rows.AddDocument(kb, "scraped.txt");
        await ServeTests.CreateDatabaseAsync(Path.Combine(data, "tasks.db"), rows);

        await using var serve = CliRunner.Launch(new Dictionary<string, string?> { ["Cache:PollInterval"] = "00:00:00.100" },
            "serve", "--data", data, "--redis", redis.Endpoint, "--metrics-port", "0", "--log-format", "json");
        string? url = null;
        await Poll.UntilAsync(() => (url = serve.Lines.FirstOrDefault(l => l.StartsWith("Metrics: ", StringComparison.Ordinal))) is not null || serve.HasExited,
            TimeSpan.FromSeconds(60), "the metrics listener", Ct);
        Assert.False(serve.HasExited, serve.Transcript);
        var metricsUrl = url!["Metrics: ".Length..];
        Assert.StartsWith("http://127.0.0.1:", metricsUrl, StringComparison.Ordinal); // loopback by default
        var baseUrl = metricsUrl[..^"/metrics".Length];

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var health = await http.GetAsync(new Uri(baseUrl + "/healthz"), Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        // Ready once a cycle has read the task source with Redis up.
        await Poll.UntilAsync(async () => (await http.GetAsync(new Uri(baseUrl + "/readyz"), Ct)).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "/readyz answering 200", Ct);

        string metrics = string.Empty;
        await Poll.UntilAsync(async () =>
        {
            metrics = await http.GetStringAsync(new Uri(metricsUrl), Ct);
            if (metrics.Contains("redisflow_cache_files_cached", StringComparison.Ordinal))
            {
                return true;
            }

            // The listener starts after the daemon's first cycle, so a file cached then is not counted (a known gap,
            // see the closing note of issue 16): drop the key so the next cycle caches and counts it again.
            await redis.Db.KeyDeleteAsync($"{kb}/scraped.txt");
            return false;
        }, TimeSpan.FromSeconds(60), "the cached file in /metrics", Ct);
        Assert.Contains("# TYPE redisflow_cache_files_cached", metrics, StringComparison.Ordinal);
        Assert.Contains("redisflow_cache_fetch_duration", metrics, StringComparison.Ordinal);

        // Every log line is one JSON object.
        var logs = serve.Lines.Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(logs);
        Assert.All(logs, l => Assert.True(JsonDocument.Parse(l).RootElement.TryGetProperty("LogLevel", out _), l));
        TestContext.Current.TestOutputHelper?.WriteLine(metrics);
    }
}
