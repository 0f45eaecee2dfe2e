namespace RedisFlow;

/// <summary>How the Redis deployment is laid out, as the client sees it now (see <see cref="RedisDb.GetTopologyAsync"/>).</summary>
/// <param name="Kind"><c>standalone</c>, <c>sentinel</c> or <c>cluster</c>.</param>
/// <param name="ServiceName">The Sentinel service name; null otherwise.</param>
/// <param name="Nodes">Every node known: primaries first.</param>
public sealed record RedisTopology(string Kind, string? ServiceName, IReadOnlyList<RedisTopologyNode> Nodes);

/// <summary>One Redis node.</summary>
/// <param name="Endpoint"><c>host:port</c>.</param>
/// <param name="Role"><c>primary</c>, <c>replica</c>, or <c>unknown</c> when it does not answer.</param>
/// <param name="Connected">Whether the client is connected to it (Cluster: whether the cluster sees its link up and not failed).</param>
/// <param name="PrimaryEndpoint">For a replica, the primary it copies; null otherwise.</param>
/// <param name="Slots">Cluster hash-slot ranges it serves, for example <c>0-5460</c>; empty elsewhere.</param>
public sealed record RedisTopologyNode(string Endpoint, string Role, bool Connected, string? PrimaryEndpoint, IReadOnlyList<string> Slots);
