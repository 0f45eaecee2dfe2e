using System.Text;

namespace RedisFlow.Locking;

/// <summary>Redis Cluster key slots (CRC16-XMODEM of the hash tag or the whole key, modulo 16384).</summary>
internal static class RedisHashSlot
{
    public const int SlotCount = 16384;

    /// <summary>The slot of <paramref name="key"/>, honouring a <c>{tag}</c> as Redis does.</summary>
    public static int Of(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        var span = bytes.AsSpan();
        var tag = HashTag(span);
        return Crc16(tag.IsEmpty ? span : tag) % SlotCount;
    }

    /// <summary>Whether <paramref name="key"/> has a non-empty hash tag (then only the tag decides its slot).</summary>
    public static bool HasHashTag(string key) => !HashTag(Encoding.UTF8.GetBytes(key)).IsEmpty;

    // Redis: the first '{', then the first '}' after it; the tag counts only when non-empty.
    private static ReadOnlySpan<byte> HashTag(ReadOnlySpan<byte> key)
    {
        var open = key.IndexOf((byte)'{');
        if (open < 0)
        {
            return default;
        }

        var close = key[(open + 1)..].IndexOf((byte)'}');
        return close <= 0 ? default : key.Slice(open + 1, close);
    }

    private static int Crc16(ReadOnlySpan<byte> data)
    {
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
