using System.Text.Json;

namespace RedisFlow.CacheServer.Diagnostics;

/// <summary>
/// What a running daemon publishes about itself (JSON, key <see cref="CacheStatus.KeyPrefix"/> + instance, with a short
/// TTL so a stopped daemon's status disappears): its counters since start and its last cycle. The dashboard reads it.
/// </summary>
/// <param name="Instance">Host name and process id of the daemon.</param>
/// <param name="StartedAt">When the daemon started.</param>
/// <param name="UpdatedAt">When this status was written.</param>
/// <param name="Cycles">Cycles completed since start.</param>
/// <param name="Totals">Documents per outcome since start, by <see cref="Caching.FileOutcomeNames.TagOf"/> (<c>cached</c>, <c>too_large</c>, ...).</param>
/// <param name="LastCycle">The last completed cycle, or null before the first.</param>
public sealed record CacheStatus(string Instance, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, long Cycles,
    IReadOnlyDictionary<string, long> Totals, CacheCycleStatus? LastCycle)
{
    /// <summary>Prefix of the status keys; one key per daemon instance.</summary>
    public const string KeyPrefix = "redisflow:cache:status:";

    /// <summary>The JSON form (camelCase, as web APIs), nested at most <see cref="Queues.PythonJson.MaxDepth"/> deep like all JSON read from Redis.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web) { MaxDepth = Queues.PythonJson.MaxDepth };
}

/// <summary>One cycle as published in <see cref="CacheStatus"/>.</summary>
/// <param name="At">When it completed.</param>
/// <param name="Documents">Ongoing documents the task source returned.</param>
/// <param name="Outcomes">Documents per outcome tag.</param>
/// <param name="TaskSourceError">The task source's failure (type and message), when it could not be read.</param>
public sealed record CacheCycleStatus(DateTimeOffset At, int Documents, IReadOnlyDictionary<string, int> Outcomes, string? TaskSourceError);
