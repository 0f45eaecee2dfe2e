using RedisFlow.Testing.Topologies;

namespace RedisFlow.Tests.Topologies;

/// <summary>One redis-server whose ACL users the ACL tests create, shared by a class.</summary>
public sealed class AclFixture : IAsyncLifetime
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
