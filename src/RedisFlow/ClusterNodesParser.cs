namespace RedisFlow;

/// <summary>Reads the text of <c>CLUSTER NODES</c> into <see cref="RedisTopologyNode"/>s, primaries first in slot order.</summary>
internal static class ClusterNodesParser
{
    public static IReadOnlyList<RedisTopologyNode> Parse(string text)
    {
        // Line: <id> <ip:port@cport[,hostname]> <flags> <primary-id|-> <ping> <pong> <epoch> <link-state> <slot>...
        var rows = new List<(string Id, string Endpoint, bool Primary, bool Up, string PrimaryId, List<string> Slots)>();
        foreach (var raw in text.Split('\n'))
        {
            var parts = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 8)
            {
                continue;
            }

            var flags = parts[2].Split(',');
            var endpoint = parts[1].Split('@')[0];
            var up = parts[7] == "connected" && !flags.Contains("fail") && !flags.Contains("fail?") && !flags.Contains("noaddr");
            // Slots being imported or migrated are shown as [slot->-id] and are not served yet.
            var slots = parts.Skip(8).Where(p => !p.StartsWith('[')).ToList();
            rows.Add((parts[0], endpoint, flags.Contains("master"), up, parts[3], slots));
        }

        var endpoints = rows.ToDictionary(r => r.Id, r => r.Endpoint, StringComparer.Ordinal);
        return rows
            .Select(r => new RedisTopologyNode(
                r.Endpoint,
                r.Primary ? "primary" : "replica",
                r.Up,
                r.Primary ? null : endpoints.GetValueOrDefault(r.PrimaryId),
                r.Slots))
            .OrderBy(n => n.Role == "primary" ? 0 : 1)
            .ThenBy(n => n.Slots.Count == 0 ? int.MaxValue : FirstSlot(n.Slots[0]))
            .ThenBy(n => n.Endpoint, StringComparer.Ordinal)
            .ToList();
    }

    private static int FirstSlot(string range) =>
        int.TryParse(range.Split('-')[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var slot) ? slot : int.MaxValue;
}
