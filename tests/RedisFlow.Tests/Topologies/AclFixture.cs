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
    public async Task<string> DeniedAsync(CancellationToken ct)
    {
        var lines = (await Acl.AdminAsync(ct, "ACL", "LOG")).Split('\n', StringSplitOptions.TrimEntries);
        var denied = new List<string>();
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (lines[i] == "object" && lines[i + 1] != "config|get")
            {
                denied.Add(lines[i + 1]);
            }
        }

        return string.Join(' ', denied);
    }

    public async ValueTask DisposeAsync()
    {
        if (_acl is not null)
        {
            await _acl.DisposeAsync();
        }
    }
}
