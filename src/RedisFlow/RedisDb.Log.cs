using Microsoft.Extensions.Logging;

namespace RedisFlow;

public sealed partial class RedisDb
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1000, EventName = "RedisConnected", Level = LogLevel.Information, Message = "Connected to Redis {Endpoint}")]
        public static partial void Connected(ILogger logger, string endpoint);

        [LoggerMessage(EventId = 1001, EventName = "RedisConnectFailed", Level = LogLevel.Warning, Message = "Redis {Endpoint} is not reachable yet; calls answer false/null until it is, reconnecting in the background")]
        public static partial void ConnectFailed(ILogger logger, string endpoint);

        [LoggerMessage(EventId = 1002, EventName = "RedisConnectionLost", Level = LogLevel.Warning, Message = "Lost the connection to Redis {Endpoint} ({FailureType}, {ExceptionType}); reconnecting")]
        public static partial void ConnectionLost(ILogger logger, System.Net.EndPoint? endpoint, StackExchange.Redis.ConnectionFailureType failureType, Type? exceptionType);

        [LoggerMessage(EventId = 1003, EventName = "RedisConnectionRestored", Level = LogLevel.Information, Message = "Connection to Redis {Endpoint} restored")]
        public static partial void ConnectionRestored(ILogger logger, System.Net.EndPoint? endpoint);

        [LoggerMessage(EventId = 1004, EventName = "RedisOperationFailed", Level = LogLevel.Warning, Message = "RedisDb.{Method} failed for key '{Key}': {ExceptionType}: {Detail}")]
        public static partial void OperationFailed(ILogger logger, string method, string key, string exceptionType, string detail);

        [LoggerMessage(EventId = 1007, EventName = "RedisOperationFailureDetail", Level = LogLevel.Debug, Message = "RedisDb.{Method} failure detail")]
        public static partial void OperationFailureDetail(ILogger logger, string method, Exception? exception);

        [LoggerMessage(EventId = 1006, EventName = "RedisInsecureTls", Level = LogLevel.Warning, Message = "TLS certificate verification is OFF for Redis {Endpoint} (--insecure): the connection can be intercepted")]
        public static partial void InsecureTls(ILogger logger, string endpoint);

        [LoggerMessage(EventId = 1005, EventName = "RedisHealthCheckFailed", Level = LogLevel.Warning, Message = "Redis health check failed: {Reason}")]
        public static partial void HealthCheckFailed(ILogger logger, string reason);
    }
}
