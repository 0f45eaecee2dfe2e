using System.Globalization;
using RedisFlow.Locking;

namespace RedisFlow.TestProcesses.Scenarios;

/// <summary>
/// <c>lock-counter host:port|node1,node2,... lockKey counterKey iterations</c> (a node list is a Redis Cluster, database 0): for each iteration takes the lock (SpinAcquireAsync),
/// does a deliberately non-atomic GET / increment / SET of the counter inside the critical section, and prints
/// <c>counterValue fencingToken</c>. Only mutual exclusion keeps the counter exact across processes.
/// </summary>
public sealed class LockCounterScenario : ITestProcessScenario
{
    public string Name => "lock-counter";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var (endpoint, lockKey, counterKey) = (args[0], args[1], args[2]);
        var iterations = int.Parse(args[3], CultureInfo.InvariantCulture);
        var options = endpoint.Contains(',', StringComparison.Ordinal)
            ? new RedisDbOptions { ConnectionString = endpoint, Db = 0 }
            : new RedisDbOptions { Host = endpoint, Db = 1 };
        await using var db = await RedisDb.ConnectAsync(options, ct: ct);
        await using var mutex = new RedisDistributedLock(db, lockKey);
        var output = new System.Text.StringBuilder();
        for (var i = 0; i < iterations; i++)
        {
            await mutex.SpinAcquireAsync(ct);
            var read = await db.GetAsync(counterKey, ct);
            var next = (read is null ? 0 : long.Parse(read, CultureInfo.InvariantCulture)) + 1;
            if (!await db.SetAsync(counterKey, next.ToString(CultureInfo.InvariantCulture), 600, ct))
            {
                await Console.Error.WriteLineAsync("SET failed");
                return 1;
            }

            output.Append(next).Append(' ').Append(mutex.FencingToken).Append('\n');
            await mutex.ReleaseAsync();
        }

        Console.Write(output.ToString());
        return 0;
    }
}
