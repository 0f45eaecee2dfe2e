using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer.Diagnostics;
using RedisFlow.CacheServer.Storage;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// Logs a file that fails every cycle like a daemon should: one warning line naming the cause in words, with the
/// full exception once per file and cause; the repeats at Debug, on the 2nd, 4th, 8th… failure (back-off). A file
/// that caches again, or a new cause, starts over. Without it a bad task row wrote a stack trace every second.
/// </summary>
internal sealed class FileFailureLog(ILogger logger)
{
    /// <summary>Failing files remembered at most; past that the memory starts over (a burst of new warnings, not a leak).</summary>
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, (string Cause, long Count)> _failing = new(StringComparer.Ordinal);

    public void Failed(string key, Exception ex)
    {
        var cause = Cause(ex);
        if (_failing.Count >= MaxRemembered)
        {
            _failing.Clear();
        }

        var entry = _failing.AddOrUpdate(key, (cause, 1), (_, old) => old.Cause == cause ? (cause, old.Count + 1) : (cause, 1));
        if (entry.Count == 1)
        {
            CacheLog.FileFailedFirst(logger, key, cause, ex);
        }
        else if ((entry.Count & (entry.Count - 1)) == 0)
        {
            CacheLog.FileFailedAgain(logger, key, entry.Count, cause);
        }
    }

    public void Succeeded(string key) => _failing.TryRemove(key, out _);

    /// <summary>The cause in an operator's words; the storages' own messages already are ("access denied …").</summary>
    internal static string Cause(Exception ex) => ex switch
    {
        StorageObjectNotFoundException => "not found in storage",
        ArgumentException => $"refused: {FirstSentence(ex.Message)}",
        UnauthorizedAccessException => $"access denied: {FirstSentence(ex.Message)}",
        _ => CacheLog.Short(ex),
    };

    private static string FirstSentence(string text)
    {
        // ArgumentException appends " (Parameter 'x')"; the name of a C# parameter means nothing to an operator.
        var cut = text.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut > 0 ? text[..cut] : text;
    }
}
