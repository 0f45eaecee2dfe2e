using System.Reflection;

namespace RedisFlow.Dashboard.Data;

/// <summary>The overview page: server, topology, memory against maxmemory, the ACL user, versions.</summary>
internal sealed class OverviewReader(RedisDb db)
{
    private static readonly string DashboardVersion =
        typeof(OverviewReader).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public async Task<Overview> ReadAsync(CancellationToken ct)
    {
        var healthy = await db.HealthAsync(ct).ConfigureAwait(false);
        var info = await db.InfoAsync(ct).ConfigureAwait(false);
        var topology = await db.GetTopologyAsync(ct).ConfigureAwait(false);
        var user = db.ConnectedUser ?? await db.WhoAmIAsync(ct).ConfigureAwait(false);
        return new Overview(
            healthy,
            db.IsAlive,
            user,
            db.Options.Db,
            DashboardVersion,
            info is null ? null : new ServerSummary(info.RedisVersion, info.Mode, info.Role, info.UsedMemory, info.MaxMemory, info.TotalSystemMemory,
                info.FragmentationRatio, info.ConnectedClients, info.BlockedClients, info.OpsPerSecond, info.TotalCommandsProcessed, info.UptimeSeconds),
            topology is null ? null : new TopologySummary(topology.Kind, topology.ServiceName,
                [.. topology.Nodes.Select(n => new NodeSummary(n.Endpoint, n.Role, n.Connected, n.PrimaryEndpoint, n.Slots))]),
            DateTimeOffset.UtcNow);
    }
}

internal sealed record Overview(bool Healthy, bool Alive, string? User, int Database, string DashboardVersion, ServerSummary? Server, TopologySummary? Topology, DateTimeOffset At);

internal sealed record ServerSummary(string Version, string Mode, string? Role, long UsedMemory, long MaxMemory, long SystemMemory, double Fragmentation,
    long Clients, long BlockedClients, long OpsPerSecond, long CommandsProcessed, long UptimeSeconds);

internal sealed record TopologySummary(string Kind, string? ServiceName, IReadOnlyList<NodeSummary> Nodes);

internal sealed record NodeSummary(string Endpoint, string Role, bool Connected, string? Primary, IReadOnlyList<string> Slots);
