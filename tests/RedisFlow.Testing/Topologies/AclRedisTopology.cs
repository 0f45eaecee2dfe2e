using RedisFlow.Embedded;

namespace RedisFlow.Testing.Topologies;

/// <summary>A redis-server whose ACL users are made by tests (<c>ACL SETUSER</c>); the default user stays the admin.</summary>
public sealed class AclRedisTopology : IAsyncDisposable
{
    private AclRedisTopology(RedisServerProcess server) => Server = server;

    /// <summary>The server process.</summary>
    public RedisServerProcess Server { get; }

    /// <summary>Starts the server.</summary>
    public static async Task<AclRedisTopology> StartAsync(CancellationToken ct = default) =>
        new(await RedisServerProcess.StartAsync(ct: ct).ConfigureAwait(false));

    /// <summary>
    /// Creates (or resets) user <paramref name="name"/> with <paramref name="password"/> and exactly the ACL rules in
    /// <paramref name="rules"/> (as written in <c>ACL SETUSER</c>, split on spaces).
    /// </summary>
    public async Task CreateUserAsync(string name, string password, string rules, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        string[] command = ["ACL", "SETUSER", name, "reset", "on", ">" + password, .. rules.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        var reply = await Server.SendRawAsync(ct, command).ConfigureAwait(false);
        if (!reply.StartsWith("+OK", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"ACL SETUSER {name} failed: {reply.Trim()}");
        }
    }

    /// <summary>Options connecting as <paramref name="user"/> with <paramref name="password"/>.</summary>
    public RedisDbOptions Options(string user, string password, Action<RedisDbOptions>? configure = null)
    {
        var options = new RedisDbOptions
        {
            Host = Server.Endpoint,
            Db = 0,
            Username = user,
            Password = password,
            OperationTimeout = TimeSpan.FromSeconds(3),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
