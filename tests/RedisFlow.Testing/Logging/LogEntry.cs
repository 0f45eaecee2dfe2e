using Microsoft.Extensions.Logging;

namespace RedisFlow.Testing.Logging;

/// <summary>One log entry kept by <see cref="CapturingLoggerFactory"/>.</summary>
public sealed record LogEntry(LogLevel Level, EventId Event, string Category, string Message, Exception? Exception);
