using RedisFlow.Testing.Topologies;

namespace RedisFlow.Tests.Topologies;

/// <summary>One redis-server whose ACL users the ACL tests create, shared by a class.</summary>
public sealed class AclFixture : IAsyncLifetime
{
    private AclRedisTopology? _acl;

    public AclRedisTopology Acl => _acl ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _acl = await AclRedisTopology.StartAsync();

    /// <summary>
    /// What the server's ACL LOG recorded as denied (commands, keys, channels), or empty; CONFIG GET, which
    /// StackExchange.Redis tries once per connection and copes without, is denied on purpose and left out.
    /// </summary>
    public Task<string> DeniedAsync(CancellationToken ct) => Acl.DeniedAsync(user: null, ct);

    public async ValueTask DisposeAsync()
    {
        if (_acl is not null)
        {
            await _acl.DisposeAsync();
        }
    }
}
