using System.Text;
using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// Whether a task row names a file the daemon can fetch: RAGFlow's tables allow a NULL location, and SQLite (or a
/// hand-edited row) stores strings of any length, so the cycle checks before a claim key or a storage path is made.
/// </summary>
internal static class OngoingDocumentCheck
{
    /// <summary>
    /// Longest bucket or location accepted, in UTF-8 bytes: S3's object-key limit (RAGFlow's columns are 255
    /// characters); a longer one is a broken row, not a file.
    /// </summary>
    public const int MaxNameBytes = 1024;

    /// <summary>Why <paramref name="document"/> cannot be cached, in an operator's words; null when it can.</summary>
    public static string? Problem(OngoingDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return NameProblem("bucket (kb_id, or the file's parent_id)", document.Bucket)
            ?? NameProblem("location", document.Location);
    }

    private static string? NameProblem(string what, string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"the task row has no {what}: NULL or empty";
        }

        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > MaxNameBytes)
        {
            return $"the task row's {what} is {bytes} bytes long, more than {MaxNameBytes}";
        }

        // No storage takes a NUL in a name (a path, an S3 key in XML); other odd characters are the storage's to judge.
        return value.Contains('\0', StringComparison.Ordinal) ? $"the task row's {what} contains a NUL character" : null;
    }
}
