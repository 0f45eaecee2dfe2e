namespace RedisFlow.Testing.Fixtures;

/// <summary>A Redis deployment that capability cases written once run against (standalone, Cluster, TLS, Sentinel).</summary>
public interface IRedisTopology
{
    /// <summary>The shared <see cref="RedisDb"/> on this topology, started on first use.</summary>
    Task<RedisDb> GetDbAsync(CancellationToken ct);

    /// <summary>SCRIPT FLUSH on every primary, so scripts must be re-sent.</summary>
    Task FlushScriptsAsync(CancellationToken ct);
}
