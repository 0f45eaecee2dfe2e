using RedisFlow.Testing.Topologies;

namespace RedisFlow.CacheServer.Tests.Infrastructure;

/// <summary>One redis-server with ACL users (an administrator creates them), shared by a test class.</summary>
public sealed class CacheAclFixture : IAsyncLifetime
{
    private AclRedisTopology? _acl;

    public AclRedisTopology Acl => _acl ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _acl = await AclRedisTopology.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_acl is not null)
        {
            await _acl.DisposeAsync();
        }
    }
}
