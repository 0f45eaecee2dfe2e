using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using RedisFlow.Dashboard.Tests.Infrastructure;
using RedisFlow.Testing.Artifacts;

namespace RedisFlow.Dashboard.Tests.Auth;

/// <summary>The access rules with a token, over HTTP against the running host: 401, bearer, session cookie, antiforgery, read-only.</summary>
public sealed class TokenTests(RedisFixture redis)
{
    private static readonly string Token = TestSecrets.DashboardToken;

    [Fact]
    public async Task Without_the_token_every_page_and_api_is_401()
    {
        await using var dashboard = await RunningDashboard.StartAsync(redis.Db, o => o.Token = Token);
        using var client = dashboard.Client();
        foreach (var path in new[] { "", "api/overview", "api/queues", "api/locks", "api/cache", "api/executors", "api/session" })
        {
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
        using var wrong = await client.GetAsync("api/overview", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var post = await client.PostAsync("api/cache/evict?key=a/b", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact]
    public async Task A_browser_asking_for_a_page_gets_the_login_form_without_the_token_in_it()
    {
        await using var dashboard = await RunningDashboard.StartAsync(redis.Db, o => o.Token = Token);
        using var client = dashboard.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "");
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("name=\"token\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bearer_token_opens_the_api_and_its_actions_need_no_antiforgery()
    {
        await using var dashboard = await RunningDashboard.StartAsync(redis.Db, o => o.Token = Token);
        using var client = dashboard.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var overview = await client.GetAsync("api/overview", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);

        var key = $"kb-{Guid.NewGuid():N}/bearer.txt";
        Assert.True(await redis.Db.SetAsync(key, "cached bytes", 120, TestContext.Current.CancellationToken));
        using var evict = await client.PostAsync("api/cache/evict?key=" + Uri.EscapeDataString(key), null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, evict.StatusCode);
        Assert.False(await redis.Db.ExistAsync(key, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_login_cookie_opens_the_pages_and_actions_then_need_the_antiforgery_token()
    {
        await using var dashboard = await RunningDashboard.StartAsync(redis.Db, o => o.Token = Token);
        using var client = dashboard.Client(cookies: true);
        var ct = TestContext.Current.CancellationToken;
        using var wrong = await client.PostAsync("login", new FormUrlEncodedContent([new("token", "not-the-token-at-all")]), ct);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var login = await client.PostAsync("login", new FormUrlEncodedContent([new("token", Token)]), ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Token, cookie, StringComparison.Ordinal);

        using var page = await client.GetAsync("api/queues", ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        var key = $"kb-{Guid.NewGuid():N}/cookie.txt";
        Assert.True(await redis.Db.SetAsync(key, "cached bytes", 120, ct));
        var evictPath = "api/cache/evict?key=" + Uri.EscapeDataString(key);
        using var forged = await client.PostAsync(evictPath, null, ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.True(await redis.Db.ExistAsync(key, ct));

        var session = await client.GetFromJsonAsync<JsonElement>("api/session", ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, evictPath);
        request.Headers.Add(session.GetProperty("antiforgeryHeader").GetString()!, session.GetProperty("antiforgeryToken").GetString());
        using var evict = await client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, evict.StatusCode);
        Assert.False(await redis.Db.ExistAsync(key, ct));
    }

    [Fact]
    public async Task Read_only_mode_refuses_every_action()
    {
        await using var dashboard = await RunningDashboard.StartAsync(redis.Db, o => { o.Token = Token; o.ReadOnly = true; });
        using var client = dashboard.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var key = $"kb-{Guid.NewGuid():N}/read-only.txt";
        Assert.True(await redis.Db.SetAsync(key, "cached bytes", 120, TestContext.Current.CancellationToken));
        foreach (var path in new[] { "api/cache/evict?key=" + Uri.EscapeDataString(key), "api/queue/redrive?name=q&id=1-0", "api/queue/requeue?name=q&group=g&id=1-0", "api/queue/delete-dead-letter?name=q&id=1-0" })
        {
            using var response = await client.PostAsync(path, null, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.True(await redis.Db.ExistAsync(key, TestContext.Current.CancellationToken));
        var session = await client.GetFromJsonAsync<JsonElement>("api/session", TestContext.Current.CancellationToken);
        Assert.True(session.GetProperty("readOnly").GetBoolean());
    }
}
