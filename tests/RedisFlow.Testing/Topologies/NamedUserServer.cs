using RedisFlow.Embedded;
using RedisFlow.Testing.Artifacts;

namespace RedisFlow.Testing.Topologies;

/// <summary>
/// A redis-server with one ACL user (<see cref="User"/>, all rights, <see cref="RightPassword"/>), in one of the three
/// ways servers are found in the wild: stock (its <c>default</c> user has no password), with <c>requirepass</c>, or
/// with <c>default</c> switched off.
/// </summary>
public static class NamedUserServer
{
    /// <summary>The user's name.</summary>
    public const string User = "flowuser";

    /// <summary>The user's password.</summary>
    public static string RightPassword => TestSecrets.RedisUserPassword;

    /// <summary>A password the server does not accept for <see cref="User"/>.</summary>
    public static string WrongPassword => TestSecrets.RedisWrongPassword;

    /// <summary>The server kinds, for theories.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["stock", "requirepass", "default-off"];

    /// <summary>Starts a server of <paramref name="kind"/> (one of <see cref="Kinds"/>) with <see cref="User"/>.</summary>
    public static async Task<RedisServerProcess> StartAsync(string kind, CancellationToken ct = default)
    {
        string[][] hardening = kind switch
        {
            "stock" => [],
            "requirepass" => [["CONFIG", "SET", "requirepass", TestSecrets.RedisAdminPassword]],
            "default-off" => [["ACL", "SETUSER", "default", "off"]],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "expected one of " + string.Join(", ", Kinds)),
        };
        var server = await RedisServerProcess.StartAsync(ct: ct).ConfigureAwait(false);
        try
        {
            // The user first: once the default user is hardened, these plain connections could no longer send it.
            string[] user = ["ACL", "SETUSER", User, "on", ">" + RightPassword, "~*", "&*", "+@all"];
            foreach (var command in (string[][])[user, .. hardening])
            {
                var reply = await server.SendRawAsync(ct, command).ConfigureAwait(false);
                if (!reply.StartsWith("+OK", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{command[0]} {command[1]} failed: {reply.Trim()}");
                }
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
