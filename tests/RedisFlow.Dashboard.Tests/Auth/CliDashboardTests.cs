using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using RedisFlow.Dashboard.Tests.Infrastructure;
using RedisFlow.Testing;

namespace RedisFlow.Dashboard.Tests.Auth;

/// <summary>
/// <c>redisflow dashboard</c> as a child process: bad configuration is exit 2; on loopback it serves at once; its
/// <c>/metrics</c> answers Prometheus text behind the same token as the pages.
/// </summary>
public sealed class CliDashboardTests(RedisFixture redis)
{
    [Fact]
    public async Task Any_address_without_a_token_is_exit_2_naming_the_setting()
    {
        using var process = Start("dashboard", "--bind", "0.0.0.0", "--port", "0", "--redis", redis.Server.Endpoint);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Dashboard:Token", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_loopback_it_prints_its_address_and_serves_the_dashboard()
    {
        using var process = Start("dashboard", "--port", "0", "--read-only", "--redis", redis.Server.Endpoint);
        try
        {
            var url = await DashboardUrlAsync(process);
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            using var page = await client.GetAsync("", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var session = await client.GetStringAsync("api/session", TestContext.Current.CancellationToken);
            Assert.Contains("\"readOnly\":true", session, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Metrics_answers_prometheus_text_with_the_queue_gauges_and_401_without_the_token()
    {
        const string token = "metrics-test-token-0123456789abcdef";
        var ct = TestContext.Current.CancellationToken;
        var queue = $"rag_flow_svr_queue_metrics_{Guid.NewGuid():N}"; // matched by the default Dashboard:QueuePatterns
        Assert.True(await redis.Db.QueueProductAsync(queue, new { n = 1 }, ct));
        Assert.True(await redis.Db.QueueProductAsync(queue, new { n = 2 }, ct));
        Assert.NotNull(await redis.Db.QueueConsumerAsync(queue, "metrics_group", "c1", ct: ct)); // delivered, not acknowledged

        using var process = Start(new Dictionary<string, string> { ["Dashboard__Token"] = token }, "dashboard", "--port", "0",
            "--redis", redis.Server.Endpoint, "--db", redis.Db.Options.Db.ToString(CultureInfo.InvariantCulture));
        try
        {
            var url = await DashboardUrlAsync(process);
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            using (var anonymous = await client.GetAsync("metrics", ct))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
                Assert.DoesNotContain("redisflow_", await anonymous.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
            }

            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var metrics = string.Empty;
            await Poll.UntilAsync(async () =>
            {
                using var scrape = await client.GetAsync("metrics", ct);
                Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
                Assert.Equal("text/plain", scrape.Content.Headers.ContentType?.MediaType);
                metrics = await scrape.Content.ReadAsStringAsync(ct);
                return Sample(metrics, "redisflow_dashboard_queue_depth", queue) is not null;
            }, TimeSpan.FromSeconds(30), $"redisflow_dashboard_queue_depth of {queue} in /metrics", ct);

            Assert.Contains("# TYPE redisflow_dashboard_queue_depth gauge", metrics, StringComparison.Ordinal);
            Assert.Equal(2, Sample(metrics, "redisflow_dashboard_queue_depth", queue));
            Assert.Equal(1, Sample(metrics, "redisflow_dashboard_queue_pending", queue));
            Assert.Equal(1, Sample(metrics, "redisflow_dashboard_queue_lag", queue));
            Assert.Equal(0, Sample(metrics, "redisflow_dashboard_queue_dead_letters", queue));
            TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n',
                metrics.Split('\n').Where(l => l.StartsWith("# TYPE redisflow_", StringComparison.Ordinal) || l.Contains(queue, StringComparison.Ordinal))));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>The value of the sample of <paramref name="metric"/> whose labels name <paramref name="queue"/>, or null.</summary>
    private static double? Sample(string prometheus, string metric, string queue)
    {
        var pattern = "^" + Regex.Escape(metric) + "\\{[^}]*queue=\"" + Regex.Escape(queue) + "\"[^}]*\\} (\\S+)";
        var match = Regex.Match(prometheus, pattern, RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Reads standard output up to the <c>Dashboard: URL</c> line; answers the URL.</summary>
    private static async Task<string> DashboardUrlAsync(Process process)
    {
        string? url = null;
        while (url is null && await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            url = line.StartsWith("Dashboard: ", StringComparison.Ordinal) ? line["Dashboard: ".Length..] : null;
        }

        Assert.NotNull(url);
        return url;
    }

    private static Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    private static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // tests/RedisFlow.Dashboard.Tests/bin/<Configuration>/<tfm>/ -> src/RedisFlow.Cli/bin/<Configuration>/<tfm>/RedisFlow.Cli.dll
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = tfm.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "src", "RedisFlow.Cli", "bin", tfm.Parent.Name, tfm.Name, "RedisFlow.Cli.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first.");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info)!;
    }
}
