using System.Globalization;
using RedisFlow.Embedded;
using RedisFlow.Testing.Topologies;

namespace RedisFlow.Tests.Durability;

/// <summary>What a primary says of its replicas: <c>INFO replication</c> (ports, acknowledged offsets) and <c>CLIENT LIST TYPE replica</c> (unsent bytes).</summary>
internal static class ReplicationState
{
    /// <summary>The primary's replication offset and, per replica port, the offset that replica acknowledged.</summary>
    public static async Task<(long Primary, Dictionary<int, long> Replicas)> OffsetsAsync(RedisServerProcess primary, CancellationToken ct)
    {
        var info = await primary.SendRawAsync(ct, "INFO", "replication");
        var replicas = new Dictionary<int, long>();
        for (var i = 0; Resp.InfoField(info, $"slave{i}") is { } line; i++)
        {
            var fields = line.Split(',').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            replicas[int.Parse(fields["port"], CultureInfo.InvariantCulture)] = long.Parse(fields["offset"], CultureInfo.InvariantCulture);
        }

        return (long.Parse(Resp.InfoField(info, "master_repl_offset") ?? "0", CultureInfo.InvariantCulture), replicas);
    }

    /// <summary>Waits until every replica acknowledged everything the primary wrote.</summary>
    public static Task CaughtUpAsync(RedisServerProcess primary, int replicas, CancellationToken ct) =>
        Testing.Poll.UntilAsync(async () =>
        {
            var (offset, acknowledged) = await OffsetsAsync(primary, ct);
            return acknowledged.Count == replicas && acknowledged.Values.All(o => o == offset);
        }, TimeSpan.FromSeconds(20), "every replica to acknowledge the primary's offset", ct);

    /// <summary>
    /// The smallest output buffer (bytes) the primary holds for a replica: data not even handed to the socket, so
    /// it dies with the primary whatever the kernel still delivers from the socket buffers.
    /// </summary>
    public static async Task<long> SmallestUnsentAsync(RedisServerProcess primary, CancellationToken ct)
    {
        var list = await primary.SendRawAsync(ct, "CLIENT", "LIST", "TYPE", "replica");
        var sizes = list.Split('\n')
            .SelectMany(line => line.Split(' '))
            .Where(f => f.StartsWith("omem=", StringComparison.Ordinal))
            .Select(f => long.Parse(f["omem=".Length..].TrimEnd('\r'), CultureInfo.InvariantCulture))
            .ToList();
        return sizes.Count == 0 ? 0 : sizes.Min();
    }
}
