using System.Globalization;

namespace RedisFlow;

/// <summary>The figures of <c>INFO</c> that operators look at first (see <see cref="RedisDb.InfoAsync"/>).</summary>
public sealed record RedisServerInfo
{
    /// <summary><c>redis_version</c>.</summary>
    public required string RedisVersion { get; init; }

    /// <summary><c>redis_mode</c>: standalone, sentinel or cluster.</summary>
    public required string Mode { get; init; }

    /// <summary><c>role</c>: master or slave.</summary>
    public string? Role { get; init; }

    /// <summary><c>used_memory</c> in bytes.</summary>
    public long UsedMemory { get; init; }

    /// <summary><c>total_system_memory</c> in bytes.</summary>
    public long TotalSystemMemory { get; init; }

    /// <summary><c>maxmemory</c> in bytes; 0 when unlimited.</summary>
    public long MaxMemory { get; init; }

    /// <summary><c>mem_fragmentation_ratio</c>.</summary>
    public double FragmentationRatio { get; init; }

    /// <summary><c>connected_clients</c>.</summary>
    public long ConnectedClients { get; init; }

    /// <summary><c>blocked_clients</c>.</summary>
    public long BlockedClients { get; init; }

    /// <summary><c>instantaneous_ops_per_sec</c>.</summary>
    public long OpsPerSecond { get; init; }

    /// <summary><c>total_commands_processed</c>.</summary>
    public long TotalCommandsProcessed { get; init; }

    /// <summary><c>uptime_in_seconds</c>.</summary>
    public long UptimeSeconds { get; init; }

    /// <summary>Parses the text of <c>INFO</c>.</summary>
    public static RedisServerInfo Parse(string info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in info.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[line[..colon]] = line[(colon + 1)..];
            }
        }

        return new RedisServerInfo
        {
            RedisVersion = fields.GetValueOrDefault("redis_version", "unknown"),
            Mode = fields.GetValueOrDefault("redis_mode", "standalone"),
            Role = fields.GetValueOrDefault("role"),
            UsedMemory = Long(fields, "used_memory"),
            TotalSystemMemory = Long(fields, "total_system_memory"),
            MaxMemory = Long(fields, "maxmemory"),
            FragmentationRatio = double.TryParse(fields.GetValueOrDefault("mem_fragmentation_ratio"), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : 0,
            ConnectedClients = Long(fields, "connected_clients"),
            BlockedClients = Long(fields, "blocked_clients"),
            OpsPerSecond = Long(fields, "instantaneous_ops_per_sec"),
            TotalCommandsProcessed = Long(fields, "total_commands_processed"),
            UptimeSeconds = Long(fields, "uptime_in_seconds"),
        };
    }

    private static long Long(Dictionary<string, string> fields, string name) =>
        long.TryParse(fields.GetValueOrDefault(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
}
