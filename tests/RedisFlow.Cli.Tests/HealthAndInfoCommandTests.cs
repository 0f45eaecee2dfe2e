using System.Text.Json;
using RedisFlow.Embedded;

namespace RedisFlow.Cli.Tests;

public sealed class HealthAndInfoCommandTests
{
    [Fact]
    public async Task Health_on_the_embedded_default_starts_a_private_server_and_exits_0()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("health");
        Assert.True(code == 0, stderr);
        Assert.StartsWith("healthy: 127.0.0.1:", stdout, StringComparison.Ordinal);
        Assert.Contains("started a private redis-server", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_json_on_the_embedded_default_is_one_json_object()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("info", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.True(doc.RootElement.GetProperty("embedded").GetBoolean());
        var server = doc.RootElement.GetProperty("server");
        Assert.Matches(@"^\d+\.\d+", server.GetProperty("redis_version").GetString());
        Assert.True(server.GetProperty("used_memory").GetInt64() > 0);
    }

    [Fact]
    public async Task Health_and_info_against_a_given_redis()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: TestContext.Current.CancellationToken);
        var (code, stdout, stderr) = await CliRunner.RunAsync("health", "--json", "--redis", server.Endpoint);
        Assert.True(code == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.True(doc.RootElement.GetProperty("healthy").GetBoolean());
        }

        Assert.DoesNotContain("private redis-server", stderr, StringComparison.Ordinal);

        (code, stdout, stderr) = await CliRunner.RunAsync("info", "--json", "--redis", server.Endpoint, "--db", "3");
        Assert.True(code == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.False(doc.RootElement.GetProperty("embedded").GetBoolean());
            Assert.Equal("standalone", doc.RootElement.GetProperty("server").GetProperty("mode").GetString());
        }
    }

    [Fact]
    public async Task Redis_host_from_the_environment_is_used()
    {
        await using var server = await RedisServerProcess.StartAsync(ct: TestContext.Current.CancellationToken);
        var (code, stdout, stderr) = await CliRunner.RunAsync(new Dictionary<string, string> { ["Redis__Host"] = server.Endpoint }, "health");
        Assert.True(code == 0, stderr);
        Assert.Contains(server.Endpoint, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_exits_1_when_redis_is_unreachable()
    {
        var port = FreePort.Next();
        var (code, stdout, _) = await CliRunner.RunAsync(
            new Dictionary<string, string> { ["Redis__OperationTimeout"] = "00:00:01", ["Redis__ConnectTimeout"] = "00:00:01" },
            "health", "--redis", $"127.0.0.1:{port}");
        Assert.Equal(1, code);
        Assert.StartsWith("unhealthy", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_configuration_exits_2_naming_the_setting_and_hiding_the_password()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("health", "--redis", "localhost:99999", "--password", "do-not-print-me");
        Assert.Equal(2, code);
        Assert.Contains("Redis:Host", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-print-me", stderr, StringComparison.Ordinal);
    }
}
