using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.Providers;
using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.Tasks.Sqlite;

/// <summary><c>TaskSource:Provider = sqlite</c>: a <see cref="SqliteTaskSource"/> on <c>TaskSource:ConnectionString</c>.</summary>
public sealed class SqliteTaskSourceFactory : ITaskSourceFactory
{
    /// <summary>The provider name, <c>sqlite</c>.</summary>
    public const string ProviderName = "sqlite";

    /// <inheritdoc />
    public string Provider => ProviderName;

    /// <inheritdoc />
    public ITaskSource Create(IConfigurationSection section, IServiceProvider services) =>
        new SqliteTaskSource(ConnectionStringOf(section));

    /// <inheritdoc />
    public async Task<string> RunScriptAsync(IConfigurationSection section, string script, CancellationToken ct)
    {
        var connectionString = ConnectionStringOf(section);
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (file != ":memory:")
        {
            // SQLite makes a missing file but not its folder: the default database sits in a data folder made on first use.
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        await new SqliteTaskSource(connectionString).ExecuteScriptAsync(script, ct).ConfigureAwait(false);
        return file;
    }

    /// <summary>The validated <c>ConnectionString</c> of the section.</summary>
    /// <exception cref="RedisFlowConfigurationException">It is missing, invalid or names no file.</exception>
    public static string ConnectionStringOf(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var connectionString = ConfigurationReader.Required(section, "ConnectionString", "give a SQLite connection string, for example 'Data Source=tasks.db'.");
        try
        {
            var builder = new SqliteConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.DataSource))
            {
                throw new RedisFlowConfigurationException($"{section.Path}:ConnectionString", "has no 'Data Source'; give the database file, for example 'Data Source=tasks.db'.");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            // The message names the bad keyword; the connection string itself may hold a password, so it is not echoed.
            throw new RedisFlowConfigurationException($"{section.Path}:ConnectionString", $"is not a valid SQLite connection string: {ex.Message}", ex);
        }

        return connectionString;
    }
}
