namespace RedisFlow.TestProcesses.Scenarios;

/// <summary><c>ping host:port</c>: connects and runs the health check; exit code 0 when healthy. Checks the plumbing.</summary>
public sealed class PingScenario : ITestProcessScenario
{
    public string Name => "ping";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = args[0] }, ct: ct);
        var healthy = await db.HealthAsync(ct);
        Console.WriteLine(healthy ? "healthy" : "unhealthy");
        return healthy ? 0 : 1;
    }
}
