using Microsoft.Extensions.Logging;

namespace RedisFlow.CacheServer.Diagnostics;

/// <summary>The daemon's log events (EventIds 4000-4999).</summary>
internal static partial class CacheLog
{
    [LoggerMessage(EventId = 4000, EventName = "CacheFileCached", Level = LogLevel.Information, Message = "CACHE: {Location}")]
    public static partial void Cached(ILogger logger, string location);

    [LoggerMessage(EventId = 4001, EventName = "CacheTasks", Level = LogLevel.Information, Message = "TASKS: {Count}")]
    public static partial void Tasks(ILogger logger, int count);

    [LoggerMessage(EventId = 4002, EventName = "CacheTaskSourceFailed", Level = LogLevel.Warning, Message = "Task source '{Provider}' failed: {ExceptionType}: {Detail}; trying again next cycle")]
    public static partial void TaskSourceFailed(ILogger logger, string provider, string exceptionType, string detail, Exception exception);

    [LoggerMessage(EventId = 4003, EventName = "CacheRedisDown", Level = LogLevel.Warning, Message = "Redis is not reachable: {Count} ongoing files wait for the next cycle")]
    public static partial void RedisDown(ILogger logger, int count);

    [LoggerMessage(EventId = 4005, EventName = "CacheFileFailed", Level = LogLevel.Warning, Message = "Caching '{Key}' failed: {ExceptionType}: {Detail}; trying again next cycle")]
    public static partial void FileFailed(ILogger logger, string key, string exceptionType, string detail, Exception? exception);

    [LoggerMessage(EventId = 4006, EventName = "CacheFileTooLarge", Level = LogLevel.Warning, Message = "Not caching '{Key}': {Size} bytes is over Cache:MaxFileSize ({Max} bytes)")]
    public static partial void TooLarge(ILogger logger, string key, long size, long max);

    [LoggerMessage(EventId = 4007, EventName = "CacheMemoryGuard", Level = LogLevel.Warning, Message = "Redis used_memory {Used} bytes is above {Fraction} of maxmemory {Max} bytes: {Count} files not cached this cycle")]
    public static partial void MemoryGuard(ILogger logger, long used, double fraction, long max, int count);

    [LoggerMessage(EventId = 4008, EventName = "CacheWriteFailed", Level = LogLevel.Warning, Message = "Writing '{Key}' to Redis failed at {Stage}; the partial copy was dropped, trying again next cycle")]
    public static partial void WriteFailed(ILogger logger, string key, string stage);

    [LoggerMessage(EventId = 4009, EventName = "CacheDaemonStarted", Level = LogLevel.Information, Message = "File-cache daemon started: tasks from '{TaskSource}', files from '{Storage}', TTL {Ttl}, every {Interval}, {Parallel} parallel fetches")]
    public static partial void Started(ILogger logger, string taskSource, string storage, TimeSpan ttl, TimeSpan interval, int parallel);

    [LoggerMessage(EventId = 4010, EventName = "CacheDaemonStopped", Level = LogLevel.Information, Message = "File-cache daemon stopped after {Cycles} cycles")]
    public static partial void Stopped(ILogger logger, long cycles);

    [LoggerMessage(EventId = 4011, EventName = "CacheCycleFailed", Level = LogLevel.Error, Message = "A cache cycle failed unexpectedly; the daemon goes on")]
    public static partial void CycleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4012, EventName = "CacheClaimLost", Level = LogLevel.Information, Message = "Another daemon took the claim on '{Key}' while it was written; leaving it to that daemon")]
    public static partial void ClaimLost(ILogger logger, string key);

    [LoggerMessage(EventId = 4013, EventName = "CacheFileFailing", Level = LogLevel.Warning, Message = "Caching '{Key}' failed: {Cause}; trying again every cycle (repeats are logged at Debug)")]
    public static partial void FileFailedFirst(ILogger logger, string key, string cause, Exception exception);

    [LoggerMessage(EventId = 4014, EventName = "CacheFileStillFailing", Level = LogLevel.Debug, Message = "Caching '{Key}' failed {Count} times: {Cause}")]
    public static partial void FileFailedAgain(ILogger logger, string key, long count, string cause);

    /// <summary>An exception message cut to a log-friendly length.</summary>
    public static string Short(Exception ex) => ex.Message.Length > 300 ? ex.Message[..300] : ex.Message;
}
