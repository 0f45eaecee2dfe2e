using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.Providers;
using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.Tasks.MySql;

/// <summary><c>TaskSource:Provider = mysql</c>: a <see cref="MySqlTaskSource"/> on <c>TaskSource:ConnectionString</c>.</summary>
public sealed class MySqlTaskSourceFactory : ITaskSourceFactory
{
    /// <inheritdoc />
    public string Provider => MySqlTaskSource.ProviderName;

    /// <inheritdoc />
    public ITaskSource Create(IConfigurationSection section, IServiceProvider services) =>
        new MySqlTaskSource(ConnectionStringOf(section));

    /// <inheritdoc />
    public async Task<TaskTables> CreateTablesAsync(IConfigurationSection section, CancellationToken ct)
    {
        var connectionString = ConnectionStringOf(section);
        await MySqlSchema.CreateAsync(connectionString, ct).ConfigureAwait(false);
        return new TaskTables(MySqlConnectionErrors.Describe(connectionString), MySqlSchema.Tables);
    }

    private static string ConnectionStringOf(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var connectionString = ConfigurationReader.Required(section, "ConnectionString", "give a MySQL/MariaDB connection string, for example 'Server=127.0.0.1;Port=3306;User ID=root;Password=...;Database=rag_flow'.");
        try
        {
            _ = MySqlConnectionErrors.Describe(connectionString);
            return connectionString;
        }
        catch (ArgumentException ex)
        {
            // The message names the bad keyword; the connection string itself holds the password, so it is not echoed.
            throw new RedisFlowConfigurationException($"{section.Path}:ConnectionString", $"is not a valid MySQL/MariaDB connection string: {ex.Message}", ex);
        }
    }
}
