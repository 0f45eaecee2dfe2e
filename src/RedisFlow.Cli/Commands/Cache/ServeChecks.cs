using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.DependencyInjection;
using RedisFlow.Tasks.Sqlite;

namespace RedisFlow.Cli.Commands.Cache;

/// <summary>Start-up checks of <c>serve</c> that the providers cannot make, because they also serve <c>db init</c> and <c>demo</c>.</summary>
internal static class ServeChecks
{
    /// <summary>
    /// A SQLite task database must exist: opening a missing file would create an empty one and then fail with
    /// "no such table" every second, naming nothing. An explicit file is an error naming it; the embedded default
    /// says how to make one.
    /// </summary>
    public static void SqliteDatabaseExists(IConfiguration given, IConfiguration withDefaults)
    {
        var section = withDefaults.GetSection(CacheServerServiceCollectionExtensions.TaskSourceSection);
        var provider = section["Provider"];
        if (!string.IsNullOrWhiteSpace(provider) && !string.Equals(provider, SqliteTaskSourceFactory.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var builder = new SqliteConnectionStringBuilder(SqliteTaskSourceFactory.ConnectionStringOf(section));
        var file = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || file == ":memory:" || file.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || File.Exists(file))
        {
            return;
        }

        var explicitly = !string.IsNullOrWhiteSpace(given.GetSection(CacheServerServiceCollectionExtensions.TaskSourceSection)["ConnectionString"]);
        throw explicitly
            ? new RedisFlowConfigurationException("TaskSource:ConnectionString", $"names the SQLite file '{Path.GetFullPath(file)}', which does not exist; serve never creates it (a typo would give an empty database). Check the path, or create the tables with 'redisflow db init'.")
            : new CliException($"no task database at {Path.GetFullPath(file)} (the embedded default): run 'redisflow db init' for empty tables, or 'redisflow demo' for sample data, or set TaskSource:ConnectionString.", CommandRunner.ConfigurationError);
    }
}
