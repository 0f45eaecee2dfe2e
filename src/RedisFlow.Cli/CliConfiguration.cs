using System.CommandLine;
using Microsoft.Extensions.Configuration;
using RedisFlow.Configuration.Ragflow;

namespace RedisFlow.Cli;

/// <summary>
/// The standard .NET configuration sources, in order: RAGFlow's service_conf.yaml when <c>--ragflow-conf</c> is
/// given (lowest, so every explicit setting wins), appsettings.json (beside the program, then the current
/// folder), an optional <c>--config</c> file, environment variables (<c>Redis__Host</c>), then the global flags.
/// </summary>
internal static class CliConfiguration
{
    public static IConfiguration Build(ParseResult parse)
    {
        var builder = new ConfigurationBuilder();
        var ragflowConf = parse.GetValue(GlobalOptions.RagflowConf);
        if (ragflowConf is not null)
        {
            builder.AddRagflowServiceConf(ragflowConf);
        }

        foreach (var file in new[] { Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json") })
        {
            if (File.Exists(file))
            {
                ConfigFileCheck.Check(file, "appsettings.json");
                builder.AddJsonFile(file, optional: true);
            }
        }

        var extra = parse.GetValue(GlobalOptions.Config);
        if (extra is not null)
        {
            if (!File.Exists(extra))
            {
                throw new RedisFlowConfigurationException("--config", $"names '{extra}', which does not exist or is a directory.");
            }

            ConfigFileCheck.Check(Path.GetFullPath(extra), "--config");
            builder.AddJsonFile(Path.GetFullPath(extra), optional: false);
        }

        // A certificate file named on the command line must exist even while TLS is off: without this check a
        // mistyped --cacert was silently ignored and the command answered over plain TCP.
        foreach (var option in new[] { GlobalOptions.CaCert, GlobalOptions.Cert, GlobalOptions.Key })
        {
            if (parse.GetValue(option) is { } file && !File.Exists(file))
            {
                throw new RedisFlowConfigurationException(option.Name, $"names '{file}', which does not exist or is a directory.");
            }
        }

        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(FlagOverrides(parse));
        return builder.Build();
    }

    /// <summary>Whether any source names a Redis server; if none does, the CLI starts a private one.</summary>
    public static bool RedisConfigured(IConfiguration configuration)
    {
        var section = configuration.GetSection(RedisDbOptions.SectionName);
        return !string.IsNullOrWhiteSpace(section["Host"]) || !string.IsNullOrWhiteSpace(section["ConnectionString"]);
    }

    private static Dictionary<string, string?> FlagOverrides(ParseResult parse)
    {
        var values = new Dictionary<string, string?>();
        void Set(string key, string? value)
        {
            if (value is not null)
            {
                values[$"{RedisDbOptions.SectionName}:{key}"] = value;
            }
        }

        Set("Host", parse.GetValue(GlobalOptions.Redis));
        Set("Db", parse.GetValue(GlobalOptions.Db)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set("Username", parse.GetValue(GlobalOptions.User));
        Set("Password", parse.GetValue(GlobalOptions.Password));
        if (parse.GetValue(GlobalOptions.Tls))
        {
            Set("Ssl:Enabled", "true");
        }

        Set("Ssl:CaCertificateFile", parse.GetValue(GlobalOptions.CaCert));
        Set("Ssl:ClientCertificateFile", parse.GetValue(GlobalOptions.Cert));
        Set("Ssl:ClientKeyFile", parse.GetValue(GlobalOptions.Key));
        if (parse.GetValue(GlobalOptions.Insecure))
        {
            Set("Ssl:Insecure", "true");
        }

        return values;
    }
}
