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
    public async Task<string> RunScriptAsync(IConfigurationSection section, string script, CancellationToken ct)
    {
        var source = new MySqlTaskSource(ConnectionStringOf(section));
        await source.ExecuteScriptAsync(script, ct).ConfigureAwait(false);
        return source.Target;
    }

    private static string ConnectionStringOf(IConfigurationSection section) =>
        ConfigurationReader.ConnectionString(section, "MySQL/MariaDB", "Server=127.0.0.1;Port=3306;User ID=root;Password=...;Database=rag_flow", s => MySqlConnectionErrors.Describe(s));
}
