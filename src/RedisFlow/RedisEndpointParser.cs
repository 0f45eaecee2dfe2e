using System.Globalization;
using System.Net;

namespace RedisFlow;

/// <summary>Parses RAGFlow's <c>host:port</c> form: a name, IPv4, or <c>[IPv6]:port</c>, with or without a port.</summary>
internal static class RedisEndpointParser
{
    public const int DefaultPort = 6379;

    public static EndPoint Parse(string host)
    {
        var text = host.Trim();
        string name;
        string? portText = null;

        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Bad(host, "an IPv6 address opened with '[' has no closing ']'");
            }

            name = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    throw Bad(host, "after ']' only ':port' may follow");
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colons = text.Count(c => c == ':');
            if (colons > 1)
            {
                // A bare IPv6 address without a port, as users often paste it.
                name = text;
            }
            else if (colons == 1)
            {
                var i = text.IndexOf(':', StringComparison.Ordinal);
                name = text[..i];
                portText = text[(i + 1)..];
            }
            else
            {
                name = text;
            }
        }

        if (name.Length == 0)
        {
            throw Bad(host, "the host name is empty");
        }

        var port = DefaultPort;
        if (portText is not null &&
            (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw Bad(host, "the port must be a number from 1 to 65535");
        }

        return IPAddress.TryParse(name, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(name, port);
    }

    private static RedisFlowConfigurationException Bad(string host, string why) =>
        new("Redis:Host", $"is '{host}': {why}. Use host:port, for example localhost:6379 or [::1]:6379.");
}
