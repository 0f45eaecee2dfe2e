using System.CommandLine;

namespace RedisFlow.Cli.Commands;

/// <summary><c>redisflow health</c>: PING plus a SET/GET round trip; exit code 0 healthy, 1 not.</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var command = new Command("health", "Check that Redis answers PING and a SET/GET round trip (exit code 0 healthy, 1 not)");
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var db = await context.ConnectAsync(ct, requireAlive: false).ConfigureAwait(false);
            var healthy = await db.HealthAsync(ct).ConfigureAwait(false);
            if (!healthy && !db.IsAlive && db.LastProblem is null)
            {
                await WaitForDiagnosisAsync(db, ct).ConfigureAwait(false);
            }

            var endpoint = context.EmbeddedRedis?.Endpoint ?? db.Options.ToString();
            if (context.Json)
            {
                await context.WriteJsonAsync(new { healthy, endpoint, alive = db.IsAlive, problem = db.LastProblem }).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync(healthy ? $"healthy: {endpoint}" : $"unhealthy: {endpoint} ({(db.IsAlive ? "a command failed" : "not connected")})").ConfigureAwait(false);
                if (!healthy)
                {
                    // One clear line naming the setting to fix or why nothing answered; the log above may say more.
                    await context.Error.WriteLineAsync($"error: {await RedisCause.DescribeAsync(db, null, ct).ConfigureAwait(false)}").ConfigureAwait(false);
                }
            }

            return healthy ? 0 : 1;
        });
        return command;
    }

    /// <summary>
    /// A first connect attempt that timed out (a loaded machine, a slow TLS handshake) says nothing about why; the
    /// multiplexer's next attempt often names the setting to fix. Waits at most one connect timeout for it.
    /// </summary>
    private static async Task WaitForDiagnosisAsync(RedisDb db, CancellationToken ct)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 1000 && deadline.Elapsed < db.Options.ConnectTimeout && db.LastProblem is null && !db.IsAlive; i++)
        {
            await Task.Delay(100, ct).ConfigureAwait(false);
        }
    }
}
