namespace RedisFlow.Benchmarks.Peers;

/// <summary>A peer (BullMQ, a NuGet library) could not run here; its rows say so instead of showing a number.</summary>
public sealed class PeerUnavailableException : Exception
{
    public PeerUnavailableException()
    {
    }

    public PeerUnavailableException(string message)
        : base(message)
    {
    }

    public PeerUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
