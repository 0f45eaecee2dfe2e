using Microsoft.Extensions.Logging;

namespace RedisFlow.Queues;

/// <summary>Log events of the queue (EventIds 2000-2999).</summary>
internal static partial class QueueLog
{
    [LoggerMessage(EventId = 2000, EventName = "QueueEntryDeadLettered", Level = LogLevel.Warning, Message = "Queue {Queue} group {Group}: entry {Id} moved to {DeadLetterQueue} ({Reason})")]
    public static partial void DeadLettered(ILogger logger, string queue, string group, string id, string deadLetterQueue, string reason);

    [LoggerMessage(EventId = 2001, EventName = "QueueDeletedEntryAcknowledged", Level = LogLevel.Warning, Message = "Queue {Queue} group {Group}: pending entry {Id} no longer exists in the stream (deleted or trimmed); acknowledged it")]
    public static partial void DeletedEntryAcknowledged(ILogger logger, string queue, string group, string id);

    [LoggerMessage(EventId = 2002, EventName = "QueueReadFailed", Level = LogLevel.Warning, Message = "Queue {Queue} group {Group}: blocking read failed ({ExceptionType}: {Detail}); retrying in {Delay}")]
    public static partial void ReadFailed(ILogger logger, string queue, string group, string exceptionType, string detail, TimeSpan delay);

    [LoggerMessage(EventId = 2010, EventName = "QueueWorkerStarted", Level = LogLevel.Information, Message = "Queue worker on {Queue} group {Group} consumer {Consumer} started with {Concurrency} handlers")]
    public static partial void WorkerStarted(ILogger logger, string queue, string group, string consumer, int concurrency);

    [LoggerMessage(EventId = 2011, EventName = "QueueWorkerRecovered", Level = LogLevel.Information, Message = "Queue {Queue} group {Group}: consumer {Consumer} recovered {Count} unacknowledged entries of its own")]
    public static partial void Recovered(ILogger logger, string queue, string group, string consumer, int count);

    [LoggerMessage(EventId = 2012, EventName = "QueueEntriesClaimed", Level = LogLevel.Information, Message = "Queue {Queue} group {Group}: consumer {Consumer} claimed {Count} entries idle for over {MinIdle}")]
    public static partial void Claimed(ILogger logger, string queue, string group, string consumer, int count, TimeSpan minIdle);

    [LoggerMessage(EventId = 2013, EventName = "QueueHandlerFailed", Level = LogLevel.Error, Message = "Queue {Queue} group {Group}: handler failed on entry {Id} (delivery {Delivery}); it stays pending and is retried once idle for {RetryAfter}")]
    public static partial void HandlerFailed(ILogger logger, string queue, string group, string id, long delivery, TimeSpan retryAfter, Exception exception);

    [LoggerMessage(EventId = 2014, EventName = "QueueEntryLost", Level = LogLevel.Warning, Message = "Queue {Queue} group {Group}: entry {Id} in progress here was claimed by another consumer; it may be handled twice")]
    public static partial void EntryLost(ILogger logger, string queue, string group, string id);

    [LoggerMessage(EventId = 2015, EventName = "QueueTrimmed", Level = LogLevel.Debug, Message = "Queue {Queue}: trimmed {Deleted} acknowledged entries below {MinId}")]
    public static partial void Trimmed(ILogger logger, string queue, long deleted, string minId);

    [LoggerMessage(EventId = 2016, EventName = "QueueWorkerStopping", Level = LogLevel.Information, Message = "Queue worker on {Queue} group {Group} consumer {Consumer} stopping: waiting for {InFlight} handlers")]
    public static partial void WorkerStopping(ILogger logger, string queue, string group, string consumer, int inFlight);

    [LoggerMessage(EventId = 2017, EventName = "QueueWorkerStopped", Level = LogLevel.Information, Message = "Queue worker on {Queue} group {Group} consumer {Consumer} stopped; {Handled} entries handled")]
    public static partial void WorkerStopped(ILogger logger, string queue, string group, string consumer, long handled);

    [LoggerMessage(EventId = 2022, EventName = "QueueWorkerStopStepFailed", Level = LogLevel.Error, Message = "Queue worker on {Queue}: {Step} failed while stopping; the stop goes on")]
    public static partial void StopStepFailed(ILogger logger, string queue, string step, Exception exception);

    [LoggerMessage(EventId = 2018, EventName = "QueueWorkerLoopFailed", Level = LogLevel.Error, Message = "Queue worker on {Queue}: {Loop} failed; continuing after {Delay}")]
    public static partial void LoopFailed(ILogger logger, string queue, string loop, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2019, EventName = "QueueAckFailed", Level = LogLevel.Warning, Message = "Queue {Queue} group {Group}: acknowledging {Count} entries failed; they stay pending and will be delivered again")]
    public static partial void AckFailed(ILogger logger, string queue, string group, int count);

    [LoggerMessage(EventId = 2020, EventName = "QueueClaimSkippedLiveExecutors", Level = LogLevel.Debug, Message = "Queue {Queue} group {Group}: left {Count} idle entries alone, pending at executors whose heartbeat is fresh")]
    public static partial void ClaimSkippedLiveExecutors(ILogger logger, string queue, string group, int count);

    [LoggerMessage(EventId = 2021, EventName = "QueueExecutorExpired", Level = LogLevel.Information, Message = "Executor {Executor} sent no heartbeat for over {Timeout}: removed from TASKEXE")]
    public static partial void ExecutorExpired(ILogger logger, string executor, TimeSpan timeout);
}
