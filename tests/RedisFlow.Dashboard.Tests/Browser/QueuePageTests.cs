using System.Collections.Concurrent;
using Microsoft.Playwright;
using RedisFlow.Dashboard.Tests.Infrastructure;
using RedisFlow.Queues;
using RedisFlow.Testing;
using static Microsoft.Playwright.Assertions;

namespace RedisFlow.Dashboard.Tests.Browser;

/// <summary>The queues list and one queue's page, in a real browser against a real redis-server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class QueuePageTests(BrowserFixture fixture)
{
    private const string Group = "rag_flow_svr_task_broker";

    [Fact]
    public async Task Produced_entries_show_in_the_queues_list_with_their_length_and_pending_count()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = $"te.{Guid.NewGuid():N}.common";
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await fixture.Db.QueueProductAsync(queue, new { id = $"task-{i}", doc_id = "doc" }, ct));
        }

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/queues");
        var row = page.Locator($"tr[data-queue='{queue}']");
        await Expect(row.Locator("td[data-col='length']")).ToHaveTextAsync("3");

        // One more entry appears without a reload (the page polls).
        Assert.True(await fixture.Db.QueueProductAsync(queue, new { id = "task-3" }, ct));
        await Expect(row.Locator("td[data-col='length']")).ToHaveTextAsync("4");
        await Expect(row.Locator("td[data-col='pending']")).ToHaveTextAsync("0");

        // One delivered to a RAGFlow worker and not yet acknowledged: the list shows it pending.
        Assert.NotNull(await fixture.Db.QueueConsumerAsync(queue, Group, "worker-a", TimeSpan.Zero, ct: ct));
        await Expect(row.Locator("td[data-col='pending']")).ToHaveTextAsync("1");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathOf("queues.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_dead_letter_redriven_by_clicking_is_handled_by_a_worker()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = $"te.{Guid.NewGuid():N}.common";
        Assert.True(await fixture.Db.QueueProductAsync(queue, new { id = "poison-then-fixed", doc_id = "doc-7" }, ct));
        var pendingEntry = await fixture.Db.QueueConsumerAsync(queue, Group, "worker-a", TimeSpan.Zero, ct: ct);
        Assert.NotNull(pendingEntry);
        Assert.True(await fixture.Db.DeadLetterMsgAsync(queue, Group, pendingEntry.Id, "parse-failed", deleteOriginal: true, ct));

        // A second entry stays pending at a consumer, to see it listed with its message.
        Assert.True(await fixture.Db.QueueProductAsync(queue, new { id = "stuck-task" }, ct));
        Assert.NotNull(await fixture.Db.QueueConsumerAsync(queue, Group, "worker-b", TimeSpan.Zero, ct: ct));

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("#/queue/" + Uri.EscapeDataString(queue));
        var dead = page.Locator("#dead-letters tbody tr");
        await Expect(dead).ToHaveCountAsync(1);
        await Expect(dead.First).ToContainTextAsync("parse-failed");
        await Expect(dead.First).ToContainTextAsync("poison-then-fixed");
        var pending = page.Locator("tr[data-pending-id]");
        await Expect(pending).ToHaveCountAsync(1);
        await Expect(pending.First).ToContainTextAsync("worker-b");
        await Expect(pending.First).ToContainTextAsync("stuck-task");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathOf("queue.png"), FullPage = true });

        var handled = new ConcurrentQueue<string>();
        var worker = new QueueWorker(fixture.Db, new QueueWorkerOptions
        {
            QueueName = queue,
            GroupName = Group,
            ConsumerName = "dashboard-test-worker",
            BlockTimeout = TimeSpan.FromMilliseconds(200),
            RecoverOnStart = false,
        }, (message, _) =>
        {
            handled.Enqueue(message.GetMessage().GetProperty("id").GetString()!);
            return Task.CompletedTask;
        });
        await worker.StartAsync(ct);
        try
        {
            await dead.First.GetByRole(AriaRole.Button, new() { Name = "Re-drive" }).ClickAsync();
            await Expect(page.Locator("#toast")).ToContainTextAsync("Re-driven as");
            await Expect(page.Locator("#dead-letters")).ToContainTextAsync("No dead letters.");
            await Poll.UntilAsync(() => handled.Contains("poison-then-fixed"), TimeSpan.FromSeconds(15), "the worker handles the re-driven entry", ct);
            Assert.Empty(await fixture.Db.GetDeadLettersAsync(queue, ct: ct));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }

        await page.Context.CloseAsync();
    }
}
