using System.Diagnostics;
using System.Net;
using RedisFlow.Dashboard.Tests.Infrastructure;

namespace RedisFlow.Dashboard.Tests.Auth;

/// <summary><c>redisflow dashboard</c> as a child process: bad configuration is exit 2; on loopback it serves at once.</summary>
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
            string? url = null;
            while (url is null && await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                url = line.StartsWith("Dashboard: ", StringComparison.Ordinal) ? line["Dashboard: ".Length..] : null;
            }

            Assert.NotNull(url);
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

    private static Process Start(params string[] args)
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

        return Process.Start(info)!;
    }
}
