using Microsoft.Playwright;

namespace RedisFlow.Dashboard.Tests.Infrastructure;

/// <summary>
/// One headless chromium (Debian's, driven by Playwright's bundled driver: nothing is downloaded) and one dashboard
/// without a token, shared by the browser tests of a collection. Each test opens its own page.
/// </summary>
public sealed class BrowserFixture(RedisFixture redis) : IAsyncLifetime
{
    /// <summary>Debian's chromium binary; see /work/shared/BROWSER-TESTING.md.</summary>
    public const string ChromiumPath = "/usr/lib/chromium/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private RunningDashboard? _dashboard;

    public RunningDashboard Dashboard => _dashboard ?? throw new InvalidOperationException("Fixture not started.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Fixture not started.");

    public RedisDb Db => redis.Db;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/install-prereqs.sh test (installs Debian's chromium).");
        }

        // Two cores shared with other work: a step can take seconds, so assertions wait up to 15 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        _dashboard = await RunningDashboard.StartAsync(redis.Db);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    /// <summary>A fresh page (own cookies) at a laptop's size.</summary>
    public async Task<IPage> NewPageAsync(string? baseUrl = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 800 },
            BaseURL = baseUrl ?? Dashboard.BaseUrl,
        });
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
