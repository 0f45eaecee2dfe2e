using System.Globalization;

namespace RedisFlow.Cli;

/// <summary>
/// Checks <c>Redis:Host</c> (<c>--redis</c>) before connecting: a host name with a space, a unix socket path or a
/// connection string with options (which may hold a password) are refused with a clear message, instead of being
/// tried as a host name for the length of a connect timeout.
/// </summary>
internal static class RedisHostCheck
{
    public static void Validate(RedisDbOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return;
        }

        var host = options.Host.Trim();
        if (host.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || host.StartsWith('/') || host.StartsWith("./", StringComparison.Ordinal) || host.EndsWith(".sock", StringComparison.OrdinalIgnoreCase))
        {
            throw new RedisFlowConfigurationException("Redis:Host",
                "names a unix socket; redisflow connects over TCP only (StackExchange.Redis): give host:port (--redis 127.0.0.1:6379) and let redis-server listen on a port.");
        }

        if (host.Contains(',', StringComparison.Ordinal) || host.Contains('=', StringComparison.Ordinal))
        {
            // Never echo the value: "h:6379,password=..." is a common paste.
            throw new RedisFlowConfigurationException("Redis:Host",
                "holds options after the address (',' or '='); give only host:port, the password with Redis__Password or --password, and other options in Redis:ConnectionString.");
        }

        if (host.Any(char.IsWhiteSpace) || host.Any(char.IsControl))
        {
            throw new RedisFlowConfigurationException("Redis:Host", $"is '{host}': a host name cannot hold spaces. Use host:port, for example localhost:6379.");
        }
    }

    /// <summary>The first endpoint's host and port, for a probe of our own.</summary>
    public static (string Host, int Port) FirstEndpoint(RedisDbOptions options)
    {
        var text = string.IsNullOrWhiteSpace(options.ConnectionString) ? options.Host : options.ConnectionString.Split(',')[0];
        text = text.Trim();
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            var port6 = close > 0 && close + 2 < text.Length && int.TryParse(text[(close + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p6) ? p6 : 6379;
            return (close > 0 ? text[1..close] : text, port6);
        }

        var colon = text.LastIndexOf(':');
        if (colon > 0 && text.IndexOf(':', StringComparison.Ordinal) == colon && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return (text[..colon], port);
        }

        return (text, 6379);
    }
}
