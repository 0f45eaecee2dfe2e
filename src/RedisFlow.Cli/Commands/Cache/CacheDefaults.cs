using System.CommandLine;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.DependencyInjection;
using RedisFlow.Tasks.Sqlite;

namespace RedisFlow.Cli.Commands.Cache;

/// <summary>
/// The embedded defaults of the cache commands: with nothing configured, tasks come from a SQLite file and files
/// from a folder, both under the data folder (<c>--data</c>, else <c>~/.local/share/redisflow</c>).
/// </summary>
internal static class CacheDefaults
{
    public static readonly Option<string?> DataFolder = new("--data")
    {
        Description = "Data folder of the embedded defaults (tasks.db and files/); default ~/.local/share/redisflow",
    };

    public static string DataFolderOf(ParseResult parse) =>
        Path.GetFullPath(parse.GetValue(DataFolder) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "redisflow"));

    /// <summary>The configuration with the embedded defaults filled in where a setting is missing.</summary>
    public static IConfiguration WithDefaults(IConfiguration configuration, string dataFolder)
    {
        var defaults = new Dictionary<string, string?>();
        var taskSource = configuration.GetSection(CacheServerServiceCollectionExtensions.TaskSourceSection);
        var sqlite = string.IsNullOrWhiteSpace(taskSource["Provider"]) || string.Equals(taskSource["Provider"], SqliteTaskSourceFactory.ProviderName, StringComparison.OrdinalIgnoreCase);
        if (sqlite && string.IsNullOrWhiteSpace(taskSource["ConnectionString"]))
        {
            defaults["TaskSource:ConnectionString"] = SqliteConnectionString(Path.Combine(dataFolder, "tasks.db"));
        }

        var storage = configuration.GetSection(CacheServerServiceCollectionExtensions.StorageSection);
        var local = string.IsNullOrWhiteSpace(storage["Provider"]) || string.Equals(storage["Provider"], "local", StringComparison.OrdinalIgnoreCase);
        if (local && string.IsNullOrWhiteSpace(storage["Root"]))
        {
            defaults["Storage:Root"] = Path.Combine(dataFolder, "files");
        }

        return new ConfigurationBuilder()
            .AddInMemoryCollection(defaults)
            .AddConfiguration(configuration)
            .Build();
    }

    /// <summary>The SQLite connection string of a configuration that uses the embedded defaults (the demo's sample rows go there).</summary>
    public static string SqliteConnectionStringOf(IConfiguration configuration)
    {
        var section = configuration.GetSection(CacheServerServiceCollectionExtensions.TaskSourceSection);
        var provider = section["Provider"];
        if (!string.IsNullOrWhiteSpace(provider) && !string.Equals(provider, SqliteTaskSourceFactory.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            throw new RedisFlowConfigurationException("TaskSource:Provider", $"is '{provider}'; the demo writes its sample rows to SQLite (TaskSource:Provider=sqlite).");
        }

        return SqliteTaskSourceFactory.ConnectionStringOf(section);
    }

    public static string SqliteConnectionString(string file) => new SqliteConnectionStringBuilder { DataSource = file }.ToString();
}
