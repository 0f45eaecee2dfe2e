using System.Net;

namespace RedisFlow.Storage.S3;

/// <summary>S3's bucket naming rules, checked at start-up so a bad <c>Storage:Bucket</c> fails once, not on every file.</summary>
internal static class StorageNames
{
    /// <summary>3-63 of a-z, 0-9, '.', '-'; starting and ending with a letter or digit; no ".."; not shaped like an IPv4 address.</summary>
    public static bool IsS3Bucket(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && !name.Contains("..", StringComparison.Ordinal)
        && !IPAddress.TryParse(name, out _);
}
