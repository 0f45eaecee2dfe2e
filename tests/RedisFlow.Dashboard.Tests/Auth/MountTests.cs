using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RedisFlow.Dashboard.Tests.Infrastructure;

namespace RedisFlow.Dashboard.Tests.Auth;

/// <summary><c>app.MapRedisFlowDashboard("/redisflow")</c> in an app: loopback-only by default, or the app's own rule.</summary>
public sealed class MountTests(RedisFixture redis)
{
    [Fact]
    public async Task Mounted_under_a_prefix_it_answers_local_callers()
    {
        await using var app = await StartAsync(null, fakeRemote: null);
        using var client = Client(app);
        using var page = await client.GetAsync("redisflow/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var api = await client.GetAsync("redisflow/api/queues", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        using var noSlash = await client.GetAsync("redisflow", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, noSlash.StatusCode);
    }

    [Fact]
    public async Task By_default_a_remote_caller_is_refused()
    {
        await using var app = await StartAsync(null, fakeRemote: IPAddress.Parse("203.0.113.7"));
        using var client = Client(app);
        using var api = await client.GetAsync("redisflow/api/overview", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task The_authorization_hook_decides()
    {
        await using var app = await StartAsync(context => context.Request.Headers["X-Role"] == "ops", fakeRemote: IPAddress.Parse("203.0.113.7"));
        using var client = Client(app);
        using var refused = await client.GetAsync("redisflow/api/overview", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        client.DefaultRequestHeaders.Add("X-Role", "ops");
        using var allowed = await client.GetAsync("redisflow/api/overview", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    private static HttpClient Client(WebApplication app) => new(new HttpClientHandler { AllowAutoRedirect = false })
    {
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/"),
    };

    private async Task<WebApplication> StartAsync(Func<HttpContext, bool>? authorization, IPAddress? fakeRemote)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(redis.Db);
        builder.Services.AddRedisFlowDashboard(o => o.Authorization = authorization);
        var app = builder.Build();
        if (fakeRemote is not null)
        {
            // Stands in for a caller on another machine (the test itself can only connect over loopback).
            app.Use((context, next) =>
            {
                context.Connection.RemoteIpAddress = fakeRemote;
                return next(context);
            });
        }

        app.MapRedisFlowDashboard("/redisflow");
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }
}
