using System.CommandLine;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.DependencyInjection;
using RedisFlow.Tasks.Sqlite;

namespace RedisFlow.Cli.Commands.Cache;

/// <summary><c>redisflow db init</c>: creates RAGFlow's task tables in the SQLite task database.</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var db = new Command("db", "The task database of the file-cache daemon");
        var init = new Command("init", "Create RAGFlow's tables (document, task, file, file2document) in the SQLite task database");
        init.Options.Add(CacheDefaults.DataFolder);
        CommandRunner.SetAction(init, async (context, ct) =>
        {
            var configuration = CacheDefaults.WithDefaults(context.Configuration, CacheDefaults.DataFolderOf(context.Parse));
            var connectionString = SqliteConnectionStringOf(configuration);
            await SqliteSchema.CreateAsync(connectionString, ct).ConfigureAwait(false);
            var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
            if (context.Json)
            {
                await context.WriteJsonAsync(new { database = file, tables = SqliteSchema.Tables }).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync($"tables {string.Join(", ", SqliteSchema.Tables)} are ready in {file}").ConfigureAwait(false);
            }

            return 0;
        });
        db.Subcommands.Add(init);
        return db;
    }

    /// <summary>The SQLite connection string of the configuration; other providers' tables are RAGFlow's to create.</summary>
    public static string SqliteConnectionStringOf(IConfiguration configuration)
    {
        var section = configuration.GetSection(CacheServerServiceCollectionExtensions.TaskSourceSection);
        var provider = section["Provider"];
        if (!string.IsNullOrWhiteSpace(provider) && !string.Equals(provider, SqliteTaskSourceFactory.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            throw new RedisFlowConfigurationException("TaskSource:Provider", $"is '{provider}'; 'db init' creates tables in SQLite only (RAGFlow itself creates them in MySQL or PostgreSQL).");
        }

        var connectionString = section["ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new RedisFlowConfigurationException("TaskSource:ConnectionString", "is not set; give a SQLite connection string, for example 'Data Source=tasks.db'.");
        }

        try
        {
            _ = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new RedisFlowConfigurationException("TaskSource:ConnectionString", $"is not a valid SQLite connection string: {ex.Message}", ex);
        }

        return connectionString;
    }
}
