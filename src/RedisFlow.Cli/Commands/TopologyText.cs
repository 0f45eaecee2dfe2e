namespace RedisFlow.Cli.Commands;

/// <summary>Prints a <see cref="RedisTopology"/> as the <c>topology</c> block of <c>redisflow info</c>.</summary>
internal static class TopologyText
{
    public static async Task WriteAsync(TextWriter output, RedisTopology? topology)
    {
        if (topology is null)
        {
            await output.WriteLineAsync($"{"topology",-26}unknown (Redis did not answer)").ConfigureAwait(false);
            return;
        }

        var kind = topology.ServiceName is null ? topology.Kind : $"{topology.Kind} (service {topology.ServiceName})";
        await output.WriteLineAsync($"{"topology",-26}{kind}, {topology.Nodes.Count} node(s)").ConfigureAwait(false);
        foreach (var node in topology.Nodes)
        {
            var state = node.Connected ? string.Empty : " [down]";
            var detail = node.Slots.Count > 0 ? $" slots {string.Join(',', node.Slots)}"
                : node.PrimaryEndpoint is not null ? $" of {node.PrimaryEndpoint}"
                : string.Empty;
            await output.WriteLineAsync($"  {node.Role,-8}{node.Endpoint}{detail}{state}").ConfigureAwait(false);
        }
    }
}
