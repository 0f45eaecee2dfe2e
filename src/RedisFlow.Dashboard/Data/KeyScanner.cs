using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace RedisFlow.Dashboard.Data;

/// <summary>SCAN over every primary (each Cluster shard holds its own keys), stopping at a limit.</summary>
internal static class KeyScanner
{
    public static async IAsyncEnumerable<string> ScanAsync(RedisDb db, string pattern, int limit, [EnumeratorCancellation] CancellationToken ct)
    {
        var connection = await db.GetConnectionAsync(ct).ConfigureAwait(false);
        var database = await db.GetDatabaseAsync(ct).ConfigureAwait(false);
        var seen = 0;
        foreach (var endpoint in connection.GetEndPoints())
        {
            var server = connection.GetServer(endpoint);
            if (!server.IsConnected || server.IsReplica)
            {
                continue;
            }

            await foreach (var key in server.KeysAsync(database.Database, pattern, pageSize: 500).WithCancellation(ct).ConfigureAwait(false))
            {
                yield return key.ToString();
                if (++seen >= limit)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>The keys matching any of <paramref name="patterns"/>, once each, sorted.</summary>
    public static async Task<List<string>> ScanAllAsync(RedisDb db, IEnumerable<string> patterns, int limit, CancellationToken ct)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.Ordinal))
        {
            await foreach (var key in ScanAsync(db, pattern, limit, ct).ConfigureAwait(false))
            {
                keys.Add(key);
                if (keys.Count >= limit)
                {
                    return [.. keys];
                }
            }
        }

        return [.. keys];
    }
}
