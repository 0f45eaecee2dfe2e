using RedisFlow.Testing;
using RedisFlow.Tests.Topologies;
using StackExchange.Redis;

namespace RedisFlow.Tests.Queues;

/// <summary>
/// Base of the queue cases written once for every topology: raw access for checks independent of the library,
/// bounded polling, and second connections made from the shared instance's own options.
/// </summary>
public abstract class QueueTopologyTestBase(IRedisTopology topology) : TopologyTestBase(topology)
{
    protected async Task<IDatabase> RawAsync() => await Db.GetDatabaseAsync(Ct);

    /// <summary>Polls <paramref name="condition"/> until true, at most <paramref name="limit"/> (default 20 s); fails the test past that.</summary>
    protected static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? limit = null, string? what = null) =>
        Poll.UntilAsync(condition, limit ?? TimeSpan.FromSeconds(20), what ?? "the condition", Ct);

    protected static Task WaitUntilAsync(Func<bool> condition, TimeSpan? limit = null, string? what = null) =>
        Poll.UntilAsync(condition, limit ?? TimeSpan.FromSeconds(20), what ?? "the condition", Ct);

    /// <summary>Writes the shared instance's connection settings into <paramref name="target"/> (for a second instance or DI).</summary>
    protected void CopyOptionsTo(RedisDbOptions target)
    {
        var source = Db.Options;
        target.Host = source.Host;
        target.Db = source.Db;
        target.Username = source.Username;
        target.Password = source.Password;
        target.Ssl = source.Ssl;
        target.ConnectionString = source.ConnectionString;
        target.OperationTimeout = source.OperationTimeout;
        target.ConnectTimeout = source.ConnectTimeout;
        target.RetryAttempts = source.RetryAttempts;
        target.RetryBackoff = source.RetryBackoff;
        target.ClientName = source.ClientName;
    }

    /// <summary>A second <see cref="RedisDb"/> on the same deployment, under its own client name.</summary>
    protected async Task<RedisDb> ConnectAnotherAsync(string clientName)
    {
        var options = new RedisDbOptions();
        CopyOptionsTo(options);
        options.ClientName = clientName;
        return await RedisDb.ConnectAsync(options, ct: Ct);
    }

    /// <summary>Whether a connection named <paramref name="clientName"/> sits blocked in XREADGROUP on any node.</summary>
    protected async Task<bool> IsBlockedInXReadGroupAsync(string clientName)
    {
        var connection = await Db.GetConnectionAsync(Ct);
        foreach (var server in connection.GetServers().Where(s => s.IsConnected))
        {
            var list = (string?)await server.ExecuteAsync("CLIENT", "LIST") ?? string.Empty;
            if (list.Split('\n').Any(line => line.Contains($" name={clientName} ", StringComparison.Ordinal)
                                            && line.Contains(" cmd=xreadgroup ", StringComparison.Ordinal)
                                            && BlockedFlag(line)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool BlockedFlag(string clientLine)
    {
        var start = clientLine.IndexOf(" flags=", StringComparison.Ordinal);
        if (start < 0)
        {
            return false;
        }

        var flags = clientLine[(start + 7)..].Split(' ', 2)[0];
        return flags.Contains('b', StringComparison.Ordinal);
    }
}
