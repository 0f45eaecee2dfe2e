using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using RedisFlow.Queues;
using StackExchange.Redis;

namespace RedisFlow.Dashboard.Data;

/// <summary>
/// The locks page: held locks, found by <see cref="DashboardOptions.LockPatterns"/> (RAGFlow's keys) and through the
/// fencing counters of RedisFlow's locks (<c>{key}:fence</c>, see docs/lock.md). A lock is a string key with a lease
/// (PTTL); its value, the owner token, is shown masked.
/// </summary>
internal sealed partial class LockReader(RedisDb db, IOptions<DashboardOptions> options)
{
    private const string FenceSuffix = ":fence";

    // The lock's own keys beside it (waiter registry, listening marker, counter) are not locks.
    private static readonly string[] CompanionSuffixes = [FenceSuffix, ":waiters", ":waiting", ":listening"];

    public async Task<IReadOnlyList<LockRow>> ReadAsync(CancellationToken ct)
    {
        var limit = options.Value.MaxKeys;
        var candidates = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in await KeyScanner.ScanAllAsync(db, options.Value.LockPatterns, limit, ct).ConfigureAwait(false))
        {
            if (!CompanionSuffixes.Any(s => key.EndsWith(s, StringComparison.Ordinal)))
            {
                candidates[key] = FenceKeyOf(key);
            }
        }

        foreach (var fence in await KeyScanner.ScanAllAsync(db, ["*" + FenceSuffix, "{*}" + FenceSuffix + ":*"], limit, ct).ConfigureAwait(false))
        {
            if (LockKeyOf(fence) is { } key)
            {
                candidates[key] = fence;
            }
        }

        var database = await db.GetDatabaseAsync(ct).ConfigureAwait(false);
        var rows = new List<LockRow>();
        foreach (var (key, fence) in candidates.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (await database.KeyTypeAsync(key).ConfigureAwait(false) != RedisType.String)
            {
                continue;
            }

            var ttl = await database.KeyTimeToLiveAsync(key).ConfigureAwait(false);
            var owner = await database.StringGetAsync(key).ConfigureAwait(false);
            if (ttl is null || owner.IsNull)
            {
                continue; // No lease: not a lock (or released meanwhile).
            }

            var token = fence is null ? RedisValue.Null : await database.StringGetAsync(fence).ConfigureAwait(false);
            rows.Add(new LockRow(key, (long)ttl.Value.TotalMilliseconds, Mask(owner.ToString()), token.TryParse(out long t) ? t : null));
        }

        return rows;
    }

    /// <summary>Enough of the owner token to tell holders apart, not enough to release someone else's lock.</summary>
    internal static string Mask(string owner) => owner.Length > 8 ? string.Concat(owner.AsSpan(0, 4), "••••") : "••••";

    /// <summary>The fencing counter of a lock key, as RedisFlow names it (null for the odd key with a '}' but no hash tag).</summary>
    internal static string? FenceKeyOf(string lockKey) =>
        QueueKeys.HasHashTag(lockKey) ? lockKey + FenceSuffix : lockKey.Contains('}', StringComparison.Ordinal) ? null : "{" + lockKey + "}" + FenceSuffix;

    /// <summary>The lock key a fencing counter belongs to: <c>{key}:fence</c>, <c>key-with-tag:fence</c> or <c>{digits}:fence:key</c>.</summary>
    internal static string? LockKeyOf(string fenceKey)
    {
        if (DigitTagFence().Match(fenceKey) is { Success: true } digits)
        {
            return digits.Groups[1].Value;
        }

        if (!fenceKey.EndsWith(FenceSuffix, StringComparison.Ordinal))
        {
            return null;
        }

        var bare = fenceKey[..^FenceSuffix.Length];
        return bare.Length > 2 && bare[0] == '{' && bare[^1] == '}' && bare.IndexOf('}', StringComparison.Ordinal) == bare.Length - 1 ? bare[1..^1] : bare;
    }

    [GeneratedRegex(@"^\{[0-9]+\}:fence:(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DigitTagFence();
}

internal sealed record LockRow(string Key, long TtlMs, string Owner, long? FencingToken);
