namespace RedisFlow.Queues;

/// <summary>
/// Handles one queue entry for a <see cref="QueueWorker"/>. Returning acknowledges the entry (unless the handler
/// already did with <see cref="RedisMsg.AckAsync"/>); throwing leaves it pending, to be retried once it has been
/// idle for <see cref="QueueWorkerOptions.ClaimIdleTime"/>, up to <see cref="QueueWorkerOptions.MaxDeliveries"/>.
/// </summary>
public interface IQueueMessageHandler
{
    /// <summary>Handles <paramref name="message"/>; <paramref name="ct"/> fires only when shutdown runs out of time.</summary>
    Task HandleAsync(RedisMsg message, CancellationToken ct);
}

/// <summary>The delegate form of <see cref="IQueueMessageHandler.HandleAsync"/>.</summary>
public delegate Task QueueMessageHandler(RedisMsg message, CancellationToken ct);
