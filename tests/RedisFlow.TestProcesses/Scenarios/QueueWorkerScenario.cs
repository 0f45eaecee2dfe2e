using System.Globalization;
using RedisFlow.Queues;

namespace RedisFlow.TestProcesses.Scenarios;

/// <summary>
/// <c>queue-worker host:port queue group consumer concurrency handle-ms claim-idle-ms</c>: runs a
/// <see cref="QueueWorker"/> whose handler takes handle-ms, then counts the entry's <c>n</c> in the hash
/// <c>{queue}:handled</c> (HINCRBY, so a second handling shows as a duplicate) and acknowledges it. Prints
/// <c>ready</c>, then <c>start n</c> and <c>acked n</c> per entry. Stops gracefully on SIGTERM; tests SIGKILL it.
/// </summary>
public sealed class QueueWorkerScenario : ITestProcessScenario
{
    public string Name => "queue-worker";

    public static string HandledKey(string queue) => "{" + queue + "}:handled";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var queue = args[1];
        var handleMs = int.Parse(args[5], CultureInfo.InvariantCulture);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = args[0], Db = 1 }, ct: ct);
        var raw = await db.GetDatabaseAsync(ct);
        var options = new QueueWorkerOptions
        {
            QueueName = queue,
            GroupName = args[2],
            ConsumerName = args[3],
            Concurrency = int.Parse(args[4], CultureInfo.InvariantCulture),
            ClaimIdleTime = TimeSpan.FromMilliseconds(int.Parse(args[6], CultureInfo.InvariantCulture)),
            BlockTimeout = TimeSpan.FromMilliseconds(500),
        };
        using var worker = new QueueWorker(db, options, async (message, token) =>
        {
            var n = message.GetMessage().GetProperty("n").GetInt32();
            Console.WriteLine($"start {n}");
            await Task.Delay(handleMs, token);
            await raw.HashIncrementAsync(HandledKey(queue), n);
            if (await message.AckAsync(token))
            {
                Console.WriteLine($"acked {n}");
            }
        });
        await worker.StartAsync(ct);
        Console.WriteLine("ready");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM: stop gracefully below.
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await worker.StopAsync(limit.Token);
        return 0;
    }
}
