using RedisFlow.Embedded;

namespace RedisFlow.Cli.Tests;

/// <summary>Issue 12 rows 4, 5, 6, 7, 11 and 12: every failure is a clear exit, never an empty answer with exit 0.</summary>
public sealed class FailureExitTests(RedisFixture fixture)
{
    private readonly SharedRedis redis = new(fixture);

    private static readonly Dictionary<string, string> ShortTimeouts = new()
    {
        ["Redis__ConnectTimeout"] = "00:00:02",
        ["Redis__OperationTimeout"] = "00:00:02",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Redis_down_is_exit_1_naming_the_refused_connection()
    {
        // Row 4: these printed [], "no cached files", "no group" or nothing, with exit 0.
        var down = $"127.0.0.1:{FreePort.Next()}";
        string[][] commands =
        [
            ["cache", "ls"], ["cache", "evict", "kb/x.pdf"], ["cache", "get", "kb/x.pdf"], ["queue", "consume", "q", "-g", "g", "-c", "c"],
            ["queue", "pending", "q", "-g", "g"], ["queue", "dead-letters", "q"], ["queue", "info", "q", "-g", "g"],
        ];
        var runs = await Task.WhenAll(commands.Select(c => CliRunner.RunAsync(ShortTimeouts, [.. c, "--redis", down])));
        Assert.All(runs, r =>
        {
            Assert.Equal(1, r.ExitCode);
            Assert.Equal(string.Empty, r.Stdout);
            Assert.Contains("connection refused", r.Stderr, StringComparison.Ordinal);
            CliRunner.NoStackTrace(r.Stderr);
        });
    }

    [Fact]
    public async Task Refused_credentials_are_exit_1_naming_WRONGPASS_without_the_password()
    {
        // Row 4, with a server that has requirepass (the named-ACL-user case is the library's, see RedisDb.LastProblem).
        await using var server = await RedisServerProcess.StartAsync(["--requirepass", "right-password"], Ct);
        string[][] commands = [["cache", "ls"], ["queue", "consume", "q", "-g", "g", "-c", "c"], ["queue", "info", "q", "-g", "g"]];
        var runs = await Task.WhenAll(commands.Select(c => CliRunner.RunAsync(ShortTimeouts, [.. c, "--redis", server.Endpoint, "--password", "wrong-password-123"])));
        Assert.All(runs, r =>
        {
            Assert.Equal(1, r.ExitCode);
            Assert.Equal(string.Empty, r.Stdout);
            Assert.Contains("WRONGPASS", r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-password-123", r.Stderr, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_wrong_reply_type_is_exit_1_naming_WRONGTYPE()
    {
        // Row 4: WRONGTYPE was reported as "Redis did not answer" or "no group".
        var key = SharedRedis.Name("string");
        await redis.Db.StringSetAsync(key, "not a stream");
        string[][] commands = [["queue", "info", key, "-g", "g"], ["queue", "pending", key, "-g", "g"], ["queue", "consume", key, "-g", "g", "-c", "c"], ["queue", "ack", key, "-g", "g", "1-0"]];
        var runs = await Task.WhenAll(commands.Select(c => CliRunner.RunAsync([.. c, "--redis", redis.Endpoint])));
        Assert.All(runs, r =>
        {
            Assert.Equal(1, r.ExitCode);
            Assert.Equal(string.Empty, r.Stdout);
            Assert.Contains("WRONGTYPE", r.Stderr, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Config_files_that_cannot_be_parsed_are_named_by_file_line_and_setting_never_by_their_text()
    {
        // Row 5.
        var folder = Directory.CreateTempSubdirectory("redisflow-cli-config-").FullName;
        var files = new Dictionary<string, string>
        {
            ["not-json.json"] = "this is not json",
            ["empty.json"] = string.Empty,
            ["array.json"] = "[1, 2]",
            ["secret.json"] = "{\n  \"Redis\": {\n    \"Host\": \"localhost:6379\",\n    \"Password\": topSecretPW123}}",
        };
        foreach (var (name, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, name), text, Ct);
        }

        var runs = await Task.WhenAll(files.Keys.Select(name => CliRunner.RunAsync("health", "--config", Path.Combine(folder, name))));
        Assert.All(runs.Zip(files.Keys), x =>
        {
            Assert.Equal(2, x.First.ExitCode);
            Assert.Contains(x.Second, x.First.Stderr, StringComparison.Ordinal);
            CliRunner.NoStackTrace(x.First.Stderr);
        });
        var secret = runs[3].Stderr;
        Assert.DoesNotContain("topSecretPW123", secret, StringComparison.Ordinal);
        Assert.Contains("line 4", secret, StringComparison.Ordinal);
        Assert.Contains("Redis:Password", secret, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_and_impossible_names_are_exit_2_naming_the_argument()
    {
        // Rows 6 and 7: these ended in unhandled exceptions; 'a}c' failed only once a poison entry could not be dead-lettered.
        string[][] commands =
        [
            ["queue", "requeue", "q", "-g", "g", string.Empty], ["queue", "produce", string.Empty, "{}"], ["queue", "info", string.Empty, "-g", "g"],
            ["queue", "trim", string.Empty], ["queue", "info", "a}b", "-g", "g"], ["queue", "produce", "a}c", "{}"], ["queue", "consume", "a}c", "-g", "g", "-c", "c"],
            ["cache", "evict", string.Empty], ["queue", "consume", "q", "-g", string.Empty, "-c", "c"],
        ];
        var runs = await Task.WhenAll(commands.Select(c => CliRunner.RunAsync([.. c, "--redis", redis.Endpoint])));
        Assert.All(runs, r =>
        {
            Assert.Equal(2, r.ExitCode);
            Assert.Equal(string.Empty, r.Stdout);
            Assert.Contains("error: ", r.Stderr, StringComparison.Ordinal);
            CliRunner.NoStackTrace(r.Stderr);
        });
        Assert.Contains("the id argument is empty", runs[0].Stderr, StringComparison.Ordinal);
        Assert.Contains("the queue argument is empty", runs[1].Stderr, StringComparison.Ordinal);
        Assert.Contains("hash tag", runs[5].Stderr, StringComparison.Ordinal);
        Assert.Contains("--group is empty", runs[8].Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await redis.Db.KeyExistsAsync("a}c") ? 1 : 0);
    }

    [Fact]
    public async Task Invalid_options_are_exit_2_with_nothing_on_standard_output()
    {
        // Row 11: exit 1 (also "unhealthy") and the help on stdout.
        var runs = await Task.WhenAll(
            CliRunner.RunAsync("health", "--bogus", "--redis", redis.Endpoint),
            CliRunner.RunAsync("queue", "consume", "q", "-g", "g", "-c", "c", "--count", "99999999999", "--redis", redis.Endpoint),
            CliRunner.RunAsync("queue", "consume", "q", "-g", "g", "-c", "c", "--count", "0", "--redis", redis.Endpoint));
        Assert.All(runs, r =>
        {
            Assert.Equal(2, r.ExitCode);
            Assert.Equal(string.Empty, r.Stdout);
        });
        Assert.Contains("--bogus", runs[0].Stderr, StringComparison.Ordinal);
        Assert.Contains("--count", runs[1].Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_option_refuses_spaces_sockets_and_options_and_names_refused_and_unresolved_hosts()
    {
        // Row 12: these were all tried as host names and ended "unhealthy (not connected)" after 10-15 s.
        var runs = await Task.WhenAll(
            CliRunner.RunAsync(ShortTimeouts, "health", "--redis", "a b:6379"),
            CliRunner.RunAsync(ShortTimeouts, "health", "--redis", "/tmp/redis.sock"),
            CliRunner.RunAsync(ShortTimeouts, "health", "--redis", "unix:/tmp/redis.sock"),
            CliRunner.RunAsync(ShortTimeouts, "health", "--redis", "h:6393,password=S3cretInUrl"),
            CliRunner.RunAsync(ShortTimeouts, "health", "--redis", $"127.0.0.1:{FreePort.Next()}"),
            CliRunner.RunAsync(ShortTimeouts, "health", "--redis", "no-such-host.invalid:6379"));
        Assert.All(runs[..4], r =>
        {
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("Redis:Host", r.Stderr, StringComparison.Ordinal);
        });
        Assert.Contains("unix socket", runs[1].Stderr, StringComparison.Ordinal);
        Assert.Contains("unix socket", runs[2].Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cretInUrl", runs[3].Stderr + runs[3].Stdout, StringComparison.Ordinal);
        Assert.Equal(1, runs[4].ExitCode);
        Assert.Contains("connection refused", runs[4].Stderr, StringComparison.Ordinal);
        Assert.Equal(1, runs[5].ExitCode);
        Assert.Contains("was not resolved", runs[5].Stderr, StringComparison.Ordinal);
    }
}
