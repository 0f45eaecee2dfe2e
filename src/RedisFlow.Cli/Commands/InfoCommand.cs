using System.CommandLine;

namespace RedisFlow.Cli.Commands;

/// <summary><c>redisflow info</c>: version, mode, memory, clients and throughput of the server.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the Redis server's version, mode, memory, clients, throughput and topology (standalone, Sentinel, Cluster nodes and slots)");
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var info = await db.InfoAsync(ct).ConfigureAwait(false);
            if (info is null)
            {
                await context.Error.WriteLineAsync($"error: Redis {db.Options} did not answer INFO").ConfigureAwait(false);
                return 1;
            }

            var endpoint = context.EmbeddedRedis?.Endpoint ?? db.Options.ToString();
            var topology = await db.GetTopologyAsync(ct).ConfigureAwait(false);
            var user = await db.WhoAmIAsync(ct).ConfigureAwait(false);
            if (context.Json)
            {
                await context.WriteJsonAsync(new { endpoint, embedded = context.EmbeddedRedis is not null, user, server = info, topology }).ConfigureAwait(false);
                return 0;
            }

            var rows = new (string, string)[]
            {
                ("endpoint", endpoint),
                ("user", user ?? "? (ACL WHOAMI not answered)"),
                ("redis_version", info.RedisVersion),
                ("mode", info.Mode),
                ("role", info.Role ?? "?"),
                ("used_memory", Bytes(info.UsedMemory)),
                ("maxmemory", info.MaxMemory == 0 ? "unlimited" : Bytes(info.MaxMemory)),
                ("total_system_memory", Bytes(info.TotalSystemMemory)),
                ("mem_fragmentation_ratio", info.FragmentationRatio.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)),
                ("connected_clients", info.ConnectedClients.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("blocked_clients", info.BlockedClients.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("ops_per_sec", info.OpsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("total_commands_processed", info.TotalCommandsProcessed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("uptime_seconds", info.UptimeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            foreach (var (name, value) in rows)
            {
                await context.Out.WriteLineAsync($"{name,-26}{value}").ConfigureAwait(false);
            }

            await TopologyText.WriteAsync(context.Out, topology).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    internal static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.00} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.00} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.00} KiB",
        _ => $"{bytes} B",
    };
}
