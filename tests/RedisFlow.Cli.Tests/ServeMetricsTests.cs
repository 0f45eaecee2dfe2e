using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MySqlConnector;
using RedisFlow.SampleData;
using RedisFlow.Tasks.MySql;
using RedisFlow.Testing;
using RedisFlow.Testing.Cache;
using RedisFlow.Testing.Processes;

namespace RedisFlow.Cli.Tests;

/// <summary>
/// <c>redisflow serve --metrics-port</c>: /metrics in Prometheus text, /healthz, /readyz, and JSON log lines. The
/// listener starts before the daemon's first cycle: that cycle is counted, and /readyz says "starting" until it ends.
/// </summary>
/// <remarks>
/// The poll interval is an hour, so the first cycle is the only one a test sees: a file counted was cached by it.
/// </remarks>
public sealed class ServeMetricsTests(RedisFixture fixture, MySqlTaskDatabaseFixture mysql)
{
    private const string FirstCycleOnly = "01:00:00";

    private readonly SharedRedis redis = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_answers_metrics_healthz_and_readyz_on_loopback_and_logs_json_lines()
    {
        var (data, kb, rows) = await DataFolderAsync("scraped.txt", "scraped");
        await ServeTests.CreateDatabaseAsync(Path.Combine(data, "tasks.db"), rows);

        await using var serve = CliRunner.Launch(new Dictionary<string, string?> { ["Cache:PollInterval"] = FirstCycleOnly },
            "serve", "--data", data, "--redis", redis.Endpoint, "--metrics-port", "0", "--log-format", "json");
        var metricsUrl = await MetricsUrlAsync(serve);
        Assert.StartsWith("http://127.0.0.1:", metricsUrl, StringComparison.Ordinal); // loopback by default
        var baseUrl = metricsUrl[..^"/metrics".Length];

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var health = await http.GetAsync(new Uri(baseUrl + "/healthz"), Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        // Ready once the first cycle has read the task source with Redis up.
        await WaitUntilReadyAsync(http, baseUrl);
        Assert.Equal("scraped", await redis.Db.StringGetAsync($"{kb}/scraped.txt"));

        // Counted although it was cached by the first cycle, which starts only once the listener is up.
        var metrics = await http.GetStringAsync(new Uri(metricsUrl), Ct);
        Assert.Contains("# TYPE redisflow_cache_files_cached", metrics, StringComparison.Ordinal);
        Assert.Equal(1, Sum(metrics, "redisflow_cache_files_cached_total"));
        Assert.Equal("scraped".Length, Sum(metrics, "redisflow_cache_bytes_cached_bytes_total"));
        Assert.Contains("redisflow_cache_fetch_duration", metrics, StringComparison.Ordinal);

        // Every log line is one JSON object.
        var logs = serve.Lines.Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(logs);
        Assert.All(logs, l => Assert.True(JsonDocument.Parse(l).RootElement.TryGetProperty("LogLevel", out _), l));
        TestContext.Current.TestOutputHelper?.WriteLine(metrics);
    }

    [Fact]
    public async Task Readyz_says_starting_while_the_first_cycle_waits_for_the_task_database_and_that_cycle_is_counted()
    {
        await using var database = await mysql.CreateDatabaseAsync(Ct);
        var (data, kb, rows) = await DataFolderAsync("held.txt", "held");
        await database.InsertAsync(rows, Ct);
        var connectionString = database.Settings["TaskSource:ConnectionString"]!;
        var databaseName = new MySqlConnectionStringBuilder(connectionString).Database;

        // Hold RAGFlow's get_task lock as another daemon would: serve's first cycle waits for it (GET_LOCK) before its query.
        await using var holder = new MySqlConnection(connectionString);
        await holder.OpenAsync(Ct);
        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync(holder, "SELECT GET_LOCK(@p, 30)", Ct), CultureInfo.InvariantCulture));

        var settings = new Dictionary<string, string?>(database.Settings) { ["Cache:PollInterval"] = FirstCycleOnly };
        await using var serve = CliRunner.Launch(settings, "serve", "--data", data, "--redis", redis.Endpoint, "--metrics-port", "0");
        var metricsUrl = await MetricsUrlAsync(serve);
        var baseUrl = metricsUrl[..^"/metrics".Length];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        // The first cycle is under way, waiting for the lock: its connection to this database is in the "User lock" state.
        await using (var observer = new MySqlConnection(connectionString))
        {
            await observer.OpenAsync(Ct);
            await Poll.UntilAsync(async () => Convert.ToInt64(await ScalarAsync(observer,
                    "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = @p AND STATE = 'User lock'", Ct, databaseName), CultureInfo.InvariantCulture) > 0,
                TimeSpan.FromSeconds(30), "serve's first cycle waiting for the get_task lock", Ct);
        }

        using (var starting = await http.GetAsync(new Uri(baseUrl + "/readyz"), Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, starting.StatusCode);
            Assert.StartsWith("starting", await starting.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var liveness = await http.GetAsync(new Uri(baseUrl + "/healthz"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, liveness.StatusCode); // alive, merely not ready
        }

        Assert.Equal(0, Sum(await http.GetStringAsync(new Uri(metricsUrl), Ct), "redisflow_cache_files_cached_total"));

        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync(holder, "SELECT RELEASE_LOCK(@p)", Ct), CultureInfo.InvariantCulture));
        await WaitUntilReadyAsync(http, baseUrl);
        Assert.Equal("held", await redis.Db.StringGetAsync($"{kb}/held.txt"));
        Assert.Equal(1, Sum(await http.GetStringAsync(new Uri(metricsUrl), Ct), "redisflow_cache_files_cached_total"));
    }

    /// <summary>A data folder whose local storage holds one file of a new knowledge base, and the rows of its running task.</summary>
    private static async Task<(string Data, string Kb, RagflowRows Rows)> DataFolderAsync(string name, string content)
    {
        var data = Directory.CreateTempSubdirectory("redisflow-cli-metrics-").FullName;
        var kb = RagflowRows.NewId();
        Directory.CreateDirectory(Path.Combine(data, "files", kb));
        await File.WriteAllTextAsync(Path.Combine(data, "files", kb, name), content, Ct);
        var rows = new RagflowRows();
        rows.AddDocument(kb, name);
        return (data, kb, rows);
    }

    /// <summary>Waits for the <c>Metrics: URL</c> line serve prints once its listener is up; answers the URL.</summary>
    private static async Task<string> MetricsUrlAsync(ChildProcess serve)
    {
        string? line = null;
        await Poll.UntilAsync(() => (line = serve.Lines.FirstOrDefault(l => l.StartsWith("Metrics: ", StringComparison.Ordinal))) is not null || serve.HasExited,
            TimeSpan.FromSeconds(60), "the metrics listener", Ct);
        Assert.False(serve.HasExited, serve.Transcript);
        return line!["Metrics: ".Length..];
    }

    private static Task WaitUntilReadyAsync(HttpClient http, string baseUrl) =>
        Poll.UntilAsync(async () =>
        {
            using var ready = await http.GetAsync(new Uri(baseUrl + "/readyz"), Ct);
            return ready.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60), "/readyz answering 200", Ct);

    /// <summary>The sum of every sample of <paramref name="metric"/> in Prometheus text (0 when it has none).</summary>
    private static double Sum(string prometheus, string metric) =>
        Regex.Matches(prometheus, "^" + Regex.Escape(metric) + @"(?:\{[^}]*\})? (\S+)", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    private static async Task<object?> ScalarAsync(MySqlConnection connection, string sql, CancellationToken ct, string p = MySqlTaskSource.QueryLockName)
    {
        await using var command = new MySqlCommand(sql, connection);
        command.Parameters.AddWithValue("@p", p);
        return await command.ExecuteScalarAsync(ct);
    }
}
