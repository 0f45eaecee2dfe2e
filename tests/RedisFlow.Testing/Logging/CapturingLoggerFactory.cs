using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RedisFlow.Testing.Logging;

/// <summary>
/// Keeps every log entry so tests can check what was logged (and what was not, such as passwords). Pass it where
/// an <see cref="ILoggerFactory"/> is taken, or add it to a factory as an <see cref="ILoggerProvider"/>.
/// </summary>
public sealed class CapturingLoggerFactory : ILoggerFactory, ILoggerProvider
{
    /// <summary>The entries, oldest first.</summary>
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    /// <summary>The entries' messages.</summary>
    public IEnumerable<string> Messages => Entries.Select(e => e.Message);

    /// <summary>Every entry on a line of its own: level, category, message and exception.</summary>
    public string AllText() => string.Join('\n', Entries.Select(e => $"{e.Level} {e.Category} {e.Message} {e.Exception}"));

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider)
    {
        // Only this capture logs here.
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Nothing held: the entries stay readable after the code under test disposed its factory.
    }

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue(new LogEntry(logLevel, eventId, category, formatter(state, exception), exception));
    }
}
