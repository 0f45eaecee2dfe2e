using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using RedisFlow.Configuration.Ragflow;

namespace RedisFlow.Cli.Commands.Config;

/// <summary>
/// <c>redisflow config show</c>: every setting the commands would run with (sections Redis, TaskSource, Storage, Cache,
/// Dashboard), where each came from, secrets masked. With <c>--ragflow-conf</c> it shows what RAGFlow's file resolved to.
/// </summary>
internal static class ConfigCommand
{
    private static readonly string[] Sections = ["Redis", "TaskSource", "Storage", "Cache", "Dashboard", RagflowSettings.UnresolvedSection];

    public static Command Create()
    {
        var config = new Command("config", "The settings the commands run with");
        var show = new Command("show", "Print the resolved settings (Redis, TaskSource, Storage, Cache) and where each came from, secrets masked; with --ragflow-conf, RAGFlow's service_conf.yaml read as RedisFlow reads it");
        CommandRunner.SetAction(show, async (context, ct) =>
        {
            var settings = Resolve(context.Configuration);
            if (context.Json)
            {
                await context.WriteJsonAsync(settings.ToDictionary(s => s.Key, s => new { s.Value, s.Source })).ConfigureAwait(false);
                return 0;
            }

            if (settings.Count == 0)
            {
                await context.Out.WriteLineAsync("no settings: every command runs on its embedded defaults (a private redis-server; serve on SQLite and a local folder)").ConfigureAwait(false);
            }

            var width = settings.Count == 0 ? 0 : settings.Max(s => s.Key.Length);
            foreach (var setting in settings)
            {
                ct.ThrowIfCancellationRequested();
                await context.Out.WriteLineAsync($"{setting.Key.PadRight(width)} = {setting.Value}    ({setting.Source})").ConfigureAwait(false);
            }

            return 0;
        });
        config.Subcommands.Add(show);
        return config;
    }

    private static List<ShownSetting> Resolve(IConfiguration configuration)
    {
        var providers = (configuration as IConfigurationRoot)?.Providers.Reverse().ToList() ?? [];
        var shown = new List<ShownSetting>();
        foreach (var section in Sections)
        {
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable().Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
            {
                var source = providers.FirstOrDefault(p => p.TryGet(key, out _));
                shown.Add(new ShownSetting(key, SecretMask.Apply(key, value), Describe(source)));
            }
        }

        return shown;
    }

    private static string Describe(IConfigurationProvider? provider) => provider switch
    {
        null => "unknown",
        JsonConfigurationProvider json => json.Source.Path ?? "a JSON file",
        EnvironmentVariablesConfigurationProvider => "environment",
        MemoryConfigurationProvider => "command line",
        _ => provider.ToString() ?? provider.GetType().Name,
    };

    private sealed record ShownSetting(string Key, string? Value, string Source);
}
