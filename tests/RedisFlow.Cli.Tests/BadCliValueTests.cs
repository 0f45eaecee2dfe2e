namespace RedisFlow.Cli.Tests;

/// <summary>
/// Values an operator can mistype (docs/bad-input.md): negative or huge counts, files that are missing, are folders or
/// are not JSON. Each is exit 2 with one line naming the option and nothing on standard output, never a stack trace;
/// a huge count that is still a number is simply used.
/// </summary>
public sealed class BadCliValueTests(RedisFixture fixture)
{
    private readonly SharedRedis redis = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Negative_zero_and_out_of_range_counts_are_exit_2_naming_the_option()
    {
        var data = Directory.CreateTempSubdirectory("redisflow-cli-demo-").FullName;
        (string[] Args, string Named)[] cases =
        [
            (["queue", "consume", "q", "-g", "g", "-c", "c", "--count", "-1"], "--count"),
            (["queue", "pending", "q", "-g", "g", "--count", "-3"], "--count"),
            (["queue", "dead-letters", "q", "--count", "0"], "--count"),
            (["queue", "consume", "q", "-g", "g", "-c", "c", "--count", "99999999999"], "--count"),
            (["queue", "consume", "q", "-g", "g", "-c", "c", "--block", "-5"], "--block"),
            (["queue", "consume", "q", "-g", "g", "-c", "c", "--block", "99999999"], "--block"),
            (["cache", "ls", "--limit", "-5"], "--limit"),
            (["health", "--db", "-1"], "Redis:Db"),
            (["health", "--db", "99999999"], "Redis:Db"),
            (["demo", "--timeout", "-1", "--data", data], "--timeout"),
            (["demo", "--timeout", "99999999", "--data", data], "--timeout"),
        ];

        var runs = await Task.WhenAll(cases.Select(c => CliRunner.RunAsync([.. c.Args, "--redis", redis.Endpoint])));

        Assert.All(runs.Zip(cases), x =>
        {
            Assert.True(x.First.ExitCode == 2, $"{string.Join(' ', x.Second.Args)}: exit {x.First.ExitCode}, {x.First.Stderr}");
            Assert.Equal(string.Empty, x.First.Stdout);
            Assert.Contains(x.Second.Named, x.First.Stderr, StringComparison.Ordinal);
            CliRunner.NoStackTrace(x.First.Stderr);
        });
        // Refused before anything was written: the demo's data folder is still empty.
        Assert.Empty(Directory.EnumerateFileSystemEntries(data));
    }

    [Fact]
    public async Task Huge_counts_that_are_still_numbers_are_used_as_given()
    {
        var queue = $"bad-cli-{Guid.NewGuid():N}";
        await redis.Db.StreamAddAsync(queue, "message", "{\"i\": 1}");

        var pending = await CliRunner.RunAsync("queue", "pending", queue, "-g", "g", "--count", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), "--redis", redis.Endpoint);
        var list = await CliRunner.RunAsync("cache", "ls", "--limit", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), "--match", $"nothing-{queue}*", "--redis", redis.Endpoint);

        Assert.Equal(0, pending.ExitCode);
        Assert.Equal(0, list.ExitCode);
        CliRunner.NoStackTrace(pending.Stderr + list.Stderr);
    }

    [Fact]
    public async Task Missing_files_and_folders_given_as_files_are_exit_2_naming_the_option_and_the_path()
    {
        var folder = Directory.CreateTempSubdirectory("redisflow-cli-files-").FullName;
        var missing = Path.Combine(folder, "missing.json");
        (string[] Args, string Named)[] cases =
        [
            (["health", "--config", missing], "--config"),
            (["health", "--config", folder], "--config"),
            (["health", "--ragflow-conf", Path.Combine(folder, "service_conf.yaml")], "--ragflow-conf"),
            (["queue", "produce", "q", "--file", missing], "--file"),
            (["queue", "produce", "q", "--file", folder], "--file"),
            (["health", "--cacert", Path.Combine(folder, "ca.pem")], "--cacert"),
            (["health", "--tls", "--cert", Path.Combine(folder, "client.pem"), "--key", Path.Combine(folder, "client.key")], "--cert"),
        ];

        var runs = await Task.WhenAll(cases.Select(c => CliRunner.RunAsync([.. c.Args, "--redis", redis.Endpoint])));

        Assert.All(runs.Zip(cases), x =>
        {
            Assert.True(x.First.ExitCode == 2, $"{string.Join(' ', x.Second.Args)}: exit {x.First.ExitCode}, {x.First.Stderr}");
            Assert.Equal(string.Empty, x.First.Stdout);
            Assert.Contains(x.Second.Named, x.First.Stderr, StringComparison.Ordinal);
            Assert.Contains(folder, x.First.Stderr, StringComparison.Ordinal);
            CliRunner.NoStackTrace(x.First.Stderr);
        });
    }

    [Fact]
    public async Task A_config_file_that_is_binary_or_truncated_json_is_exit_2_naming_the_file_not_its_text()
    {
        var folder = Directory.CreateTempSubdirectory("redisflow-cli-notjson-").FullName;
        var binary = Path.Combine(folder, "binary.json");
        var truncated = Path.Combine(folder, "truncated.json");
        await File.WriteAllBytesAsync(binary, [0xFF, 0xFE, 0x00, 0x01, .. "Password=hunter2-not-shown"u8], Ct);
        await File.WriteAllTextAsync(truncated, "{\"Redis\": {\"Password\": \"hunter3-not-shown\"", Ct);

        var runs = await Task.WhenAll(CliRunner.RunAsync("health", "--config", binary, "--redis", redis.Endpoint), CliRunner.RunAsync("health", "--config", truncated, "--redis", redis.Endpoint));

        Assert.All(runs.Zip([binary, truncated]), x =>
        {
            Assert.Equal(2, x.First.ExitCode);
            Assert.Contains(x.Second, x.First.Stderr, StringComparison.Ordinal);
            Assert.Contains("not valid JSON", x.First.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("not-shown", x.First.Stderr, StringComparison.Ordinal);
            CliRunner.NoStackTrace(x.First.Stderr);
        });
    }
}
