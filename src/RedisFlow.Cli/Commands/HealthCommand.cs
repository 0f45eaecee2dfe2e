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
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var healthy = await db.HealthAsync(ct).ConfigureAwait(false);
            var endpoint = context.EmbeddedRedis?.Endpoint ?? db.Options.ToString();
            if (context.Json)
            {
                await context.WriteJsonAsync(new { healthy, endpoint, alive = db.IsAlive }).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync(healthy ? $"healthy: {endpoint}" : $"unhealthy: {endpoint} ({(db.IsAlive ? "a command failed" : "not connected")})").ConfigureAwait(false);
            }

            return healthy ? 0 : 1;
        });
        return command;
    }
}
