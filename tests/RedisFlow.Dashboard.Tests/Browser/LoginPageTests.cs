using Microsoft.Playwright;
using RedisFlow.Dashboard.Tests.Infrastructure;
using RedisFlow.Testing.Artifacts;
using static Microsoft.Playwright.Assertions;

namespace RedisFlow.Dashboard.Tests.Browser;

/// <summary>With a token, a browser gets the login page (401) until it posts the token, then the dashboard.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LoginPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_login_page_lets_a_browser_in_with_the_token()
    {
        var token = TestSecrets.DashboardToken;
        await using var dashboard = await RunningDashboard.StartAsync(fixture.Db, o => o.Token = token);
        var page = await fixture.NewPageAsync(dashboard.BaseUrl);
        var first = await page.GotoAsync("#/queues");
        Assert.Equal(401, first!.Status);

        await page.Locator("#token").FillAsync("wrong-token-wrong-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator(".login-error")).ToContainTextAsync("not the dashboard's token");

        await page.Locator("#token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#title")).ToHaveTextAsync("Overview");
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
