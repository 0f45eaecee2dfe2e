using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using RedisFlow.CacheServer.DependencyInjection;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.SampleData.Schema;

namespace RedisFlow.Cli.Commands.Cache;

/// <summary><c>redisflow db init</c>: creates RAGFlow's task tables in the configured task database (any provider).</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var db = new Command("db", "The task database of the file-cache daemon");
        var init = new Command("init", "Create RAGFlow's tables (document, task, file, file2document) that are missing in the task database of TaskSource:Provider (sqlite, mysql, postgres); existing tables are left as they are");
        init.Options.Add(CacheDefaults.DataFolder);
        CommandRunner.SetAction(init, async (context, ct) =>
        {
            var configuration = CacheDefaults.WithDefaults(context.Configuration, CacheDefaults.DataFolderOf(context.Parse));
            var section = configuration.GetSection(CacheServerServiceCollectionExtensions.TaskSourceSection);
            var services = new ServiceCollection().AddCacheProviders().BuildServiceProvider();
            await using (services.ConfigureAwait(false))
            {
                var factory = services.GetTaskSourceFactory(configuration);
                string database;
                try
                {
                    database = await RagflowTables.CreateAsync(factory, section, ct).ConfigureAwait(false);
                }
                catch (TaskSourceUnavailableException ex)
                {
                    throw new CliException(ex.Message);
                }

                if (context.Json)
                {
                    await context.WriteJsonAsync(new { provider = factory.Provider, database, tables = RagflowTables.Names }).ConfigureAwait(false);
                }
                else
                {
                    await context.Out.WriteLineAsync($"tables {string.Join(", ", RagflowTables.Names)} are ready in {database} ({factory.Provider})").ConfigureAwait(false);
                }
            }

            return 0;
        });
        db.Subcommands.Add(init);
        return db;
    }
}
