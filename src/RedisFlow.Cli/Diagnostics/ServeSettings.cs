using Microsoft.Extensions.Configuration;

namespace RedisFlow.Cli.Diagnostics;

/// <summary>The serve options that are settings too: <c>--metrics-port</c> and <c>--log-format</c> override configuration.</summary>
internal static class ServeSettings
{
    /// <summary>The console formatter setting the host's logging reads.</summary>
    public const string FormatterKey = "Logging:Console:FormatterName";

    /// <summary><paramref name="configuration"/> with the given options on top.</summary>
    public static IConfiguration With(IConfiguration configuration, int? metricsPort, string? logFormat)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (metricsPort is { } port)
        {
            overrides[ServeEndpoint.PortKey] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (logFormat is not null)
        {
            overrides[FormatterKey] = logFormat;
        }

        return overrides.Count == 0 ? configuration : new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build();
    }

    /// <summary>Whether the console logs are JSON lines.</summary>
    public static bool JsonLogs(IConfiguration configuration) =>
        string.Equals(configuration[FormatterKey], "json", StringComparison.OrdinalIgnoreCase);
}
