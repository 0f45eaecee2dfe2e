using RedisFlow.Testing.Topologies;

namespace RedisFlow.Testing.Fixtures;

/// <summary>
/// A redis-server of a class's own whose ACL users the tests create (an administrator creates them; the
/// <c>default</c> user is off, so no shared <see cref="RedisDb"/> connects to it).
/// </summary>
public sealed class AclFixture() : DeploymentFixture<AclRedisTopology>(AclRedisTopology.StartAsync)
{
    /// <summary>The server and its administrator.</summary>
    public AclRedisTopology Acl => Deployment;

    /// <summary>
    /// What the server's ACL LOG recorded as denied (commands, keys, channels), or empty; CONFIG GET, which
    /// StackExchange.Redis tries once per connection and copes without, is denied on purpose and left out.
    /// </summary>
    public Task<string> DeniedAsync(CancellationToken ct) => Acl.DeniedAsync(user: null, ct);
}
