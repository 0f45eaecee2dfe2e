using RedisFlow.Embedded;

namespace RedisFlow.Testing.Topologies;

/// <summary>
/// A redis-server whose ACL users are made by tests (<c>ACL SETUSER</c>). The <c>default</c> user is switched off,
/// as in a hardened deployment, so a rejected password cannot fall back to it; an <c>admin</c> user administers.
/// </summary>
public sealed class AclRedisTopology : IAsyncDisposable
{
    private AclRedisTopology(RedisServerProcess server) => Server = server;

    /// <summary>The server process.</summary>
    public RedisServerProcess Server { get; }

    /// <summary>Starts the server.</summary>
    public static async Task<AclRedisTopology> StartAsync(CancellationToken ct = default)
    {
        var topology = new AclRedisTopology(await RedisServerProcess.StartAsync(ct: ct).ConfigureAwait(false));
        try
        {
            foreach (var command in new[]
                     {
                         new[] { "ACL", "SETUSER", AdminUser, "on", ">" + topology._adminPassword, "~*", "&*", "+@all" },
                         ["ACL", "SETUSER", "default", "off"],
                     })
            {
                var reply = await topology.Server.SendRawAsync(ct, command).ConfigureAwait(false);
                if (!reply.StartsWith("+OK", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{command[0]} {command[1]} {command[2]} failed: {reply.Trim()}");
                }
            }

            return topology;
        }
        catch
        {
            await topology.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The administrator's user name.</summary>
    public const string AdminUser = "admin";

    private readonly string _adminPassword = Guid.NewGuid().ToString("N");

    /// <summary>Runs one command as the administrator through <c>redis-cli</c>; returns its text output.</summary>
    public async Task<string> AdminAsync(CancellationToken ct, params string[] command) =>
        (await RedisCli.RunAsync(
            ["-h", "127.0.0.1", "-p", Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--user", AdminUser, "--pass", _adminPassword, "--no-auth-warning", .. command],
            TimeSpan.FromSeconds(10), ct).ConfigureAwait(false)).Trim();

    /// <summary>
    /// Creates (or resets) user <paramref name="name"/> with <paramref name="password"/> and exactly the ACL rules in
    /// <paramref name="rules"/> (as written in <c>ACL SETUSER</c>, split on spaces).
    /// </summary>
    public async Task CreateUserAsync(string name, string password, string rules, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        string[] command = ["ACL", "SETUSER", name, "reset", "on", ">" + password, .. rules.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        var reply = await AdminAsync(ct, command).ConfigureAwait(false);
        if (reply != "OK")
        {
            throw new InvalidOperationException($"ACL SETUSER {name} failed: {reply.Trim()}");
        }
    }

    /// <summary>
    /// What the server's <c>ACL LOG</c> recorded as denied for <paramref name="user"/> (every user when null; commands, keys, channels),
    /// space-separated, or empty. <c>CONFIG GET</c>, which StackExchange.Redis tries once per connection and copes
    /// without, is denied on purpose by the documented rules and left out.
    /// </summary>
    public async Task<string> DeniedAsync(string? user, CancellationToken ct = default)
    {
        // redis-cli prints each entry's fields one per line: ..., "object", VALUE, "username", USER, ...
        var lines = (await AdminAsync(ct, "ACL", "LOG").ConfigureAwait(false)).Split('\n', StringSplitOptions.TrimEntries);
        var denied = new List<string>();
        string? deniedObject = null;
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (lines[i] == "object")
            {
                deniedObject = lines[i + 1];
            }
            else if (lines[i] == "username" && (user is null || lines[i + 1] == user) && deniedObject is not null and not "config|get")
            {
                denied.Add(deniedObject);
            }
        }

        return string.Join(' ', denied);
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
