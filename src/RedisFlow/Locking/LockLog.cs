using Microsoft.Extensions.Logging;

namespace RedisFlow.Locking;

/// <summary>Log events of the locking area (EventIds 3000-3999).</summary>
internal static partial class LockLog
{
    [LoggerMessage(EventId = 3000, EventName = "LockLost", Level = LogLevel.Warning, Message = "Lost the lock '{LockKey}' (fencing token {FencingToken}): {Reason}")]
    public static partial void Lost(ILogger logger, string lockKey, long fencingToken, string reason);

    [LoggerMessage(EventId = 3001, EventName = "LockRenewalFailed", Level = LogLevel.Information, Message = "Renewing the lock '{LockKey}' failed; retrying while the lease lasts ({RemainingMs} ms left)")]
    public static partial void RenewalFailed(ILogger logger, string lockKey, long remainingMs);

    [LoggerMessage(EventId = 3002, EventName = "LockAbandoned", Level = LogLevel.Warning, Message = "A RedisDistributedLock for '{LockKey}' was garbage-collected while held; renewal stopped and the lease will expire on its own. Release or dispose locks.")]
    public static partial void Abandoned(ILogger logger, string lockKey);

    [LoggerMessage(EventId = 3003, EventName = "LockLostHandlerFailed", Level = LogLevel.Error, Message = "A HandleLost callback of the lock '{LockKey}' threw")]
    public static partial void LostHandlerFailed(ILogger logger, string lockKey, Exception exception);

    [LoggerMessage(EventId = 3004, EventName = "LockReleaseNotOwned", Level = LogLevel.Debug, Message = "Release of the lock '{LockKey}' found it not ours (expired, taken by another, or never acquired); nothing deleted")]
    public static partial void ReleaseNotOwned(ILogger logger, string lockKey);

    [LoggerMessage(EventId = 3005, EventName = "LockSubscribeFailed", Level = LogLevel.Warning, Message = "Subscribing to the lock release channel '{Channel}' failed (see the warning before); waiters fall back to polling")]
    public static partial void SubscribeFailed(ILogger logger, string channel);
}
