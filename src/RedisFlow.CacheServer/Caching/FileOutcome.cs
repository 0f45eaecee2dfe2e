namespace RedisFlow.CacheServer.Caching;

/// <summary>What happened to one ongoing document in one cycle.</summary>
public enum FileOutcome
{
    /// <summary>Fetched from storage and published to Redis.</summary>
    Cached,

    /// <summary>The file's key already exists (cached earlier, or by another daemon meanwhile).</summary>
    AlreadyCached,

    /// <summary>Another daemon holds the file's claim and is fetching it.</summary>
    ClaimedElsewhere,

    /// <summary>The file is larger than <see cref="CacheOptions.MaxFileSize"/>.</summary>
    TooLarge,

    /// <summary>Redis memory is above the guard (<see cref="CacheOptions.MemoryGuardFraction"/> of <c>maxmemory</c>).</summary>
    MemoryGuard,

    /// <summary>Redis is not reachable; the file is tried again next cycle.</summary>
    RedisDown,

    /// <summary>The bucket or object is not in storage.</summary>
    NotFound,

    /// <summary>Storage or Redis failed while fetching or writing; the file is tried again next cycle.</summary>
    Failed,

    /// <summary>
    /// The task row cannot name a file: no bucket or location (NULL or empty), or one longer than
    /// 1024 bytes (S3's key limit) or holding a NUL. Logged with the reason, skipped.
    /// </summary>
    InvalidRow,
}

/// <summary>Names used in logs and metric tags.</summary>
public static class FileOutcomeNames
{
    /// <summary>The snake_case tag value of <paramref name="outcome"/>, for example <c>memory_guard</c>.</summary>
    public static string TagOf(FileOutcome outcome) => outcome switch
    {
        FileOutcome.Cached => "cached",
        FileOutcome.AlreadyCached => "already_cached",
        FileOutcome.ClaimedElsewhere => "claimed_elsewhere",
        FileOutcome.TooLarge => "too_large",
        FileOutcome.MemoryGuard => "memory_guard",
        FileOutcome.RedisDown => "redis_down",
        FileOutcome.NotFound => "not_found",
        FileOutcome.Failed => "failed",
        FileOutcome.InvalidRow => "invalid_row",
        _ => "unknown",
    };
}
