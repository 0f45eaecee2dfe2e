using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// The keys the daemon writes beside a cached file: a claim key and a temporary key, both in the same Redis Cluster
/// hash slot as the file's key <c>bucket/location</c>, so one Lua script may touch all of them.
/// </summary>
/// <remarks>
/// The file's key is never changed (RAGFlow's workers read exactly <c>bucket/location</c>). The derived keys get the
/// same slot this way:
/// <list type="bullet">
/// <item>the key has a hash tag (a non-empty <c>{...}</c>): the suffix is appended, the tag is kept;</item>
/// <item>the key has no <c>}</c>: it is wrapped, <c>{bucket/location}:claim</c>, which hashes exactly the key;</item>
/// <item>otherwise (a <c>}</c> without a usable tag, rare): a short tag with the same CRC16 slot is searched once per
/// slot and used, <c>{tag}:claim:bucket/location</c>.</item>
/// </list>
/// </remarks>
public static class CacheKeys
{
    private const int SlotCount = 16384;
    private static readonly ConcurrentDictionary<int, string> TagBySlot = new();

    /// <summary>The claim key of <paramref name="cacheKey"/> (held by the daemon fetching that file).</summary>
    public static string ClaimKey(string cacheKey) => Derived(cacheKey, "claim");

    /// <summary>The temporary key a daemon writes <paramref name="cacheKey"/>'s chunks into before renaming it.</summary>
    public static string TempKey(string cacheKey, string token) => Derived(cacheKey, "tmp:" + token);

    /// <summary>The Redis Cluster hash slot of <paramref name="key"/> (CRC16-XMODEM of the key or its hash tag, mod 16384).</summary>
    public static int HashSlot(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bytes = Encoding.UTF8.GetBytes(key);
        var span = bytes.AsSpan();
        var open = span.IndexOf((byte)'{');
        if (open >= 0)
        {
            var close = span[(open + 1)..].IndexOf((byte)'}');
            if (close > 0)
            {
                span = span.Slice(open + 1, close);
            }
        }

        return Crc16(span) % SlotCount;
    }

    internal static string Derived(string cacheKey, string suffix)
    {
        ArgumentException.ThrowIfNullOrEmpty(cacheKey);
        if (HasHashTag(cacheKey))
        {
            return $"{cacheKey}:{suffix}";
        }

        if (!cacheKey.Contains('}', StringComparison.Ordinal))
        {
            return $"{{{cacheKey}}}:{suffix}";
        }

        var tag = TagBySlot.GetOrAdd(HashSlot(cacheKey), FindTag);
        return $"{{{tag}}}:{suffix}:{cacheKey}";
    }

    private static bool HasHashTag(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return false;
        }

        var close = key.IndexOf('}', open + 1);
        return close > open + 1;
    }

    private static string FindTag(int slot)
    {
        // Base-36 strings of up to 4 characters cover every slot many times over; the bound only makes the loop finite.
        for (var i = 0; i < 36 * 36 * 36 * 36; i++)
        {
            var candidate = ToBase36(i);
            if (Crc16(Encoding.ASCII.GetBytes(candidate)) % SlotCount == slot)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"No hash tag found for slot {slot}."));
    }

    private static string ToBase36(int value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var builder = new StringBuilder();
        do
        {
            builder.Insert(0, digits[value % 36]);
            value /= 36;
        }
        while (value > 0);
        return builder.ToString();
    }

    private static int Crc16(ReadOnlySpan<byte> data)
    {
        // CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, as Redis Cluster defines key slots.
        var crc = 0;
        foreach (var b in data)
        {
            crc ^= b << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                crc &= 0xFFFF;
            }
        }

        return crc;
    }
}
