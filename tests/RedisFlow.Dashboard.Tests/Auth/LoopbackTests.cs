using System.Net;
using RedisFlow.Dashboard.Hosting;
using RedisFlow.Dashboard.Tests.Infrastructure;
using RedisFlow.Testing.Artifacts;

namespace RedisFlow.Dashboard.Tests.Auth;

/// <summary>The default, token-less dashboard: loopback only, Host header checked, page actions antiforgery-protected.</summary>
public sealed class LoopbackTests(RedisFixture redis)
{
    [Theory]
    [InlineData("evil.example", false)]
    [InlineData("rebound.attacker.test", false)]
    [InlineData("localhost", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]", true)]
    public async Task Only_loopback_names_with_the_port_pass_the_Host_check(string name, bool allowed)
    {
        await using var dashboard = await RunningDashboard.StartAsync(redis.Db);
        using var client = dashboard.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/overview");
        request.Headers.Host = $"{name}:{dashboard.Port}";
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_loopback_name_with_another_port_is_refused()
    {
        await using var dashboard = await RunningDashboard.StartAsync(redis.Db);
        using var client = dashboard.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/overview");
        request.Headers.Host = $"localhost:{(dashboard.Port == 1 ? 2 : dashboard.Port - 1)}";
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_page_action_without_the_antiforgery_token_is_refused()
    {
        await using var dashboard = await RunningDashboard.StartAsync(redis.Db);
        using var client = dashboard.Client();
        var key = $"kb-{Guid.NewGuid():N}/csrf.txt";
        Assert.True(await redis.Db.SetAsync(key, "cached bytes", 120, TestContext.Current.CancellationToken));
        using var response = await client.PostAsync("api/cache/evict?key=" + Uri.EscapeDataString(key), null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(await redis.Db.ExistAsync(key, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.0.2.10")]
    public async Task Listening_beyond_loopback_without_a_token_refuses_to_start(string bind)
    {
        var ex = await Assert.ThrowsAsync<RedisFlowConfigurationException>(() =>
            DashboardServer.StartAsync(new DashboardServerOptions { Bind = bind, Port = 0 }, new DashboardOptions(), redis.Db, ct: TestContext.Current.CancellationToken));
        Assert.Equal("Dashboard:Token", ex.Setting);
    }

    [Fact]
    public async Task Listening_on_any_address_with_a_token_starts_and_needs_it()
    {
        await using var dashboard = await RunningDashboard.StartAsync(redis.Db, o => o.Token = TestSecrets.DashboardToken, bind: "0.0.0.0");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{dashboard.Port}/") };
        using var response = await client.GetAsync("api/overview", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
