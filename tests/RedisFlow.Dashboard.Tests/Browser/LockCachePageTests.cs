using System.Text.Json;
using Microsoft.Playwright;
using RedisFlow.CacheServer.Diagnostics;
using RedisFlow.Dashboard.Tests.Infrastructure;
using RedisFlow.Locking;
using static Microsoft.Playwright.Assertions;

namespace RedisFlow.Dashboard.Tests.Browser;

/// <summary>The locks, cache, executors and overview pages in a real browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LockCachePageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_held_lock_shows_its_fencing_token_with_the_owner_masked()
    {
        var ct = TestContext.Current.CancellationToken;
        var name = $"dashboard_lock_{Guid.NewGuid():N}";
        var provider = new RedisLockProvider(fixture.Db);
        await using var handle = await provider.TryAcquireAsync(name, timeout: TimeSpan.FromSeconds(60), ct: ct);
        Assert.NotNull(handle);
        var owner = await fixture.Db.GetAsync(name, ct);
        Assert.NotNull(owner);

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/locks");
        var row = page.Locator($"tr[data-lock='{name}']");
        await Expect(row.Locator("td[data-col='fence']")).ToHaveTextAsync(handle.FencingToken.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(row.Locator("td[data-col='owner']")).ToHaveTextAsync(owner[..4] + "••••");
        Assert.DoesNotContain(owner, await page.ContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathOf("locks.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_cached_file_is_evicted_by_clicking_and_the_daemon_status_shows()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = $"kb-{Guid.NewGuid():N}/manual.pdf";
        Assert.True(await fixture.Db.SetAsync(key, new byte[48 * 1024], exp: 300, ct));
        var status = new CacheStatus("test-host-4242", DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow, 300,
            new Dictionary<string, long> { ["cached"] = 41, ["already_cached"] = 230, ["too_large"] = 2, ["not_found"] = 1 },
            new CacheCycleStatus(DateTimeOffset.UtcNow, 12, new Dictionary<string, int> { ["already_cached"] = 12 }, null));
        Assert.True(await fixture.Db.SetAsync(CacheStatus.KeyPrefix + "test-host-4242", JsonSerializer.Serialize(status, CacheStatus.JsonOptions), 60, ct));

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/cache");
        await Expect(page.Locator(".card", new() { HasText = "test-host-4242" })).ToContainTextAsync("cached 41");
        var row = page.Locator($"tr[data-key='{key}']");
        await Expect(row).ToContainTextAsync("48.0 KiB");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathOf("cache.png"), FullPage = true });

        // Two clicks: the first arms the button, the second evicts.
        await row.GetByRole(AriaRole.Button, new() { Name = "Evict" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Evict now?" }).ClickAsync();
        await Expect(page.Locator("#toast")).ToContainTextAsync("Evicted");
        await Expect(row).ToHaveCountAsync(0);
        Assert.False(await fixture.Db.ExistAsync(key, ct));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Overview_and_executors_pages_render()
    {
        var ct = TestContext.Current.CancellationToken;
        var executor = $"task_executor_{Guid.NewGuid():N}"[..24];
        Assert.True(await fixture.Db.SAddAsync("TASKEXE", executor, ct));
        var now = DateTimeOffset.UtcNow;
        var heartbeat = JsonSerializer.Serialize(new { name = executor, now = now.ToString("O"), pending = 3, lag = 1, done = 128, failed = 2, current = new { } });
        Assert.True(await fixture.Db.ZAddAsync(executor, heartbeat, now.ToUnixTimeMilliseconds() / 1000.0, ct));

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/overview");
        await Expect(page.Locator(".tile", new() { HasText = "Redis" }).First).ToContainTextAsync("Healthy");
        await Expect(page.Locator(".card", new() { HasText = "Memory" })).ToContainTextAsync("Used");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathOf("overview.png"), FullPage = true });

        await page.GotoAsync("#/executors");
        var row = page.Locator($"tr[data-executor='{executor}']");
        await Expect(row).ToContainTextAsync("alive");
        await Expect(row).ToContainTextAsync("128");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathOf("executors.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
