using RedisFlow.Testing.Topologies;

namespace RedisFlow.Testing.Fixtures;

/// <summary>A TLS-only redis-server of a class's own, with its CA and certificates; its <see cref="RedisDb"/> trusts the CA through <c>Redis:Ssl</c>.</summary>
public sealed class TlsFixture() : DedicatedTopologyFixture<TlsRedisTopology>(TlsRedisTopology.StartAsync, tls => tls.Options())
{
    /// <summary>The server and its certificates.</summary>
    public TlsRedisTopology Tls => Deployment;
}
