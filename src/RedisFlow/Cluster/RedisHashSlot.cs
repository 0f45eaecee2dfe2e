using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace RedisFlow.Cluster;

/// <summary>
/// Redis Cluster key slots: the slot of a key (CRC16-XMODEM of its hash tag, or of the whole key, modulo 16384),
/// whether a key has a hash tag, and names for keys that must share another key's slot so one Lua script may touch
/// them together (the lock's fencing counter and waiter registry, the file cache's claim and temporary keys).
/// </summary>
/// <remarks>
/// A key's slot depends only on its bytes, so no connection is needed; the results agree with the server's
/// <c>CLUSTER KEYSLOT</c>. Redis hashes only the part between the first <c>{</c> and the first <c>}</c> after it,
/// and only when that part is not empty.
/// </remarks>
public static class RedisHashSlot
{
    /// <summary>The number of slots of a Redis Cluster, 16384.</summary>
    public const int SlotCount = 16384;

    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    private static readonly ConcurrentDictionary<(HashTagFormat Format, int Slot), string> FoundTags = new();

    /// <summary>The slot of <paramref name="key"/>, honouring a <c>{tag}</c> as Redis does.</summary>
    public static int Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hashed = HashTag(key) is (var start, var length) ? key.Substring(start, length) : key;
        return Crc16(Encoding.UTF8.GetBytes(hashed)) % SlotCount;
    }

    /// <summary>Whether <paramref name="key"/> has a non-empty hash tag (then only the tag decides its slot).</summary>
    public static bool HasHashTag(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return HashTag(key) is not null;
    }

    /// <summary>
    /// A key named after <paramref name="key"/> and <paramref name="suffix"/> that is always in
    /// <paramref name="key"/>'s slot, while <paramref name="key"/> itself keeps its name (other programs use it):
    /// <list type="bullet">
    /// <item><c>key:suffix</c> when the key has a hash tag (the tag stays first and decides the slot);</item>
    /// <item><c>{key}:suffix</c> when it has no <c>}</c> (the slot of <c>{k}…</c> is the slot of <c>k</c>);</item>
    /// <item>otherwise (a <c>}</c> but no usable tag, where wrapping would cut the tag at the key's own <c>}</c>):
    /// <c>{tag}:suffix:key</c>, with the tag <see cref="FindTag"/> gives for the key's slot in <paramref name="format"/>.</item>
    /// </list>
    /// </summary>
    /// <remarks>The names are stable (other processes, and RAGFlow, derive the same ones): never change the format of existing keys.</remarks>
    public static string SameSlotKey(string key, string suffix, HashTagFormat format)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(suffix);
        if (HasHashTag(key))
        {
            return key + ":" + suffix;
        }

        if (!key.Contains('}', StringComparison.Ordinal))
        {
            return "{" + key + "}:" + suffix;
        }

        return "{" + FindTag(Of(key), format) + "}:" + suffix + ":" + key;
    }

    /// <summary>
    /// The first tag of <paramref name="format"/>, in counting order, whose slot is <paramref name="slot"/>:
    /// deterministic, so every process finds the same one. Searched once per slot and format, then remembered.
    /// </summary>
    public static string FindTag(int slot, HashTagFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, SlotCount);
        var radix = format switch
        {
            HashTagFormat.Decimal => 10,
            HashTagFormat.Base36 => 36,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a known hash tag format."),
        };
        return FoundTags.GetOrAdd((format, slot), static (wanted, r) => SearchTag(wanted.Slot, r), radix);
    }

    private static string SearchTag(int slot, int radix)
    {
        // Up to 6 decimal or 4 base-36 digits reach every slot many times over (a test checks the decimal bound);
        // the bound only makes the loop finite.
        var bound = radix == 10 ? 1_000_000 : 36 * 36 * 36 * 36;
        Span<byte> buffer = stackalloc byte[8];
        for (var i = 0; i < bound; i++)
        {
            var tag = Spell(i, radix, buffer);
            if (Crc16(tag) % SlotCount == slot)
            {
                return Encoding.ASCII.GetString(tag);
            }
        }

        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"No base-{radix} hash tag below {bound} maps to slot {slot}."));
    }

    /// <summary><paramref name="value"/> in <paramref name="radix"/> with lowercase digits, as <c>ToString</c> spells decimals.</summary>
    private static ReadOnlySpan<byte> Spell(int value, int radix, Span<byte> buffer)
    {
        var at = buffer.Length;
        do
        {
            buffer[--at] = (byte)Digits[value % radix];
            value /= radix;
        }
        while (value > 0);
        return buffer[at..];
    }

    /// <summary>Where <paramref name="key"/>'s hash tag is: the first <c>{</c>, then the first <c>}</c> after it; null when none or empty.</summary>
    private static (int Start, int Length)? HashTag(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return null;
        }

        var close = key.IndexOf('}', open + 1);
        return close > open + 1 ? (open + 1, close - open - 1) : null;
    }

    private static int Crc16(ReadOnlySpan<byte> data)
    {
        // CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, as Redis Cluster defines key slots.
        var crc = 0;
        foreach (var b in data)
        {
            crc ^= b << 8;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }

        return crc & 0xFFFF;
    }
}
