using RedisFlow.Testing;
using RedisFlow.TestProcesses.Scenarios;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Queues;

/// <summary>A worker process killed (SIGKILL) while handling entries loses none of them.</summary>
public sealed class QueueCrashTests(RedisFixture fixture) : QueueTestBase(fixture)
{
    private const int Produced = 300;

    [Fact]
    public async Task Entries_of_a_worker_killed_while_handling_are_all_delivered_by_a_second_worker()
    {
        var queue = Key();
        var handledKey = QueueWorkerScenario.HandledKey(queue);
        for (var i = 0; i < Produced; i++)
        {
            Assert.True(await Db.QueueProductAsync(queue, new { n = i }, Ct));
        }

        // Worker A: 4 handlers of 100 ms each (30 entries/s, so the queue outlasts the kill); killed once it has acknowledged some entries and holds others.
        await using (var a = TestProcess.Start("queue-worker", Fixture.Server.Endpoint, queue, "g", "crash-a", "4", "100", "1000"))
        {
            await WaitUntilAsync(() => a.Lines.Count(l => l.StartsWith("acked ", StringComparison.Ordinal)) >= 20 || a.HasExited,
                TimeSpan.FromSeconds(90), "worker A acknowledging entries");
            Assert.False(a.HasExited, a.Error);
            await a.KillAsync();
        }

        var stranded = await Db.GetPendingMsgAsync(queue, "g", 100, Ct);
        Assert.True(stranded.Any(p => p.Consumer == "crash-a"), $"A died holding no entry; pending: {stranded.Count}"); // A died mid-handling

        // Worker B, under another consumer name (a recreated container), must claim A's entries and finish the queue.
        await using (var b = TestProcess.Start("queue-worker", Fixture.Server.Endpoint, queue, "g", "crash-b", "8", "1", "1000"))
        {
            var raw = await RawAsync();
            await WaitUntilAsync(async () =>
            {
                var info = await Db.QueueInfoAsync(queue, "g", Ct);
                return await raw.HashLengthAsync(handledKey) == Produced && info is { Pending: 0, Lag: 0 };
            }, TimeSpan.FromSeconds(90), "every entry handled and acknowledged");
            await b.KillAsync();
        }

        var counts = await (await RawAsync()).HashGetAllAsync(handledKey);
        var handledAndAcked = counts.Length;
        var total = counts.Sum(c => (long)c.Value);
        var duplicates = total - handledAndAcked;
        TestReport.Write($"QUEUE crash: produced {Produced}, handled-and-acked {handledAndAcked}, handlings {total}, duplicates {duplicates}, stranded at kill {stranded.Count}");
        Assert.Equal(Produced, handledAndAcked);
        Assert.All(Enumerable.Range(0, Produced), n => Assert.Contains(counts, c => (int)c.Name == n));
        Assert.Empty(await Db.GetPendingMsgAsync(queue, "g", 100, Ct));
        Assert.True(duplicates <= stranded.Count, $"{duplicates} duplicates, but A held only {stranded.Count} entries when it died"); // only those can run twice
    }
}
