using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RedisFlow.Cli;

/// <summary>
/// Remembers the Redis operations that failed during this command. <see cref="RedisDb"/> answers a failure as the
/// seed does (false, null, an empty list) and logs it; the CLI reads that log so an outage or a WRONGTYPE reply
/// becomes exit 1 with its cause instead of an empty answer with exit 0.
/// </summary>
internal sealed class RedisFailures : ILoggerProvider
{
    /// <summary><c>RedisOperationFailed</c> in RedisDb.Log.cs.</summary>
    private const int OperationFailedEventId = 1004;

    private readonly ConcurrentQueue<Failure> _failures = new();

    /// <summary>One failed operation: the library method, the key, and the failure in the library's words.</summary>
    public sealed record Failure(string Method, string Key, string ExceptionType, string Detail);

    /// <summary>How many failures were seen so far (a mark to compare against later).</summary>
    public int Count => _failures.Count;

    /// <summary>The first failure after <paramref name="mark"/>, or null.</summary>
    public Failure? Since(int mark) => _failures.Skip(mark).FirstOrDefault();

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("RedisFlow", StringComparison.Ordinal) ? new Recorder(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Recorder(RedisFailures owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != OperationFailedEventId || state is not IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                return;
            }

            string Field(string name) => fields.FirstOrDefault(f => f.Key == name).Value?.ToString() ?? string.Empty;
            owner._failures.Enqueue(new Failure(Field("Method"), Field("Key"), Field("ExceptionType"), Field("Detail")));
        }
    }
}
