namespace RedisFlow.Queues;

/// <summary>
/// Where a <see cref="RedisMsg"/>'s acknowledgement goes: straight to Redis (<see cref="StreamQueue"/>, for the
/// seed's calls) or into a worker's coalesced XACK (<see cref="AckBatcher"/>).
/// </summary>
internal interface IAckSink
{
    /// <summary>Acknowledges <paramref name="message"/>; true when Redis answered.</summary>
    Task<bool> AckAsync(RedisMsg message, CancellationToken ct);
}
