using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace RedisFlow.Dashboard.Security;

/// <summary>
/// The session cookie the login page gives for a correct token: <c>expiry.mac</c>, an HMAC of the expiry keyed by the
/// token. It holds no copy of the token, and changing the token ends every session.
/// </summary>
internal static class SessionCookie
{
    public const string Name = "redisflow.session";

    public static void Issue(HttpContext context, string token, TimeSpan lifetime, string path)
    {
        var expires = DateTimeOffset.UtcNow.Add(lifetime);
        var stamp = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.Response.Cookies.Append(Name, stamp + "." + Mac(token, stamp), new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            // Strict: a page on another site can never make the browser send it (the first line against CSRF).
            SameSite = SameSiteMode.Strict,
            Path = string.IsNullOrEmpty(path) ? "/" : path,
            Expires = expires,
        });
    }

    public static bool IsValid(HttpContext context, string token)
    {
        var value = context.Request.Cookies[Name];
        var dot = value?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (value is null || dot <= 0)
        {
            return false;
        }

        var stamp = value[..dot];
        if (!long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || DateTimeOffset.UtcNow.ToUnixTimeSeconds() > seconds)
        {
            return false;
        }

        var presented = Encoding.ASCII.GetBytes(value[(dot + 1)..]);
        var expected = Encoding.ASCII.GetBytes(Mac(token, stamp));
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }

    private static string Mac(string token, string stamp) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes("redisflow-dashboard-session:" + stamp)));
}
