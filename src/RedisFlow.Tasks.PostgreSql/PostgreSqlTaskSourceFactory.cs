using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.Providers;
using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.Tasks.PostgreSql;

/// <summary><c>TaskSource:Provider = postgres</c>: a <see cref="PostgreSqlTaskSource"/> on <c>TaskSource:ConnectionString</c>.</summary>
public sealed class PostgreSqlTaskSourceFactory : ITaskSourceFactory
{
    /// <inheritdoc />
    public string Provider => PostgreSqlTaskSource.ProviderName;

    /// <inheritdoc />
    public ITaskSource Create(IConfigurationSection section, IServiceProvider services) =>
        new PostgreSqlTaskSource(ConnectionStringOf(section));

    /// <inheritdoc />
    public async Task<string> RunScriptAsync(IConfigurationSection section, string script, CancellationToken ct)
    {
        var source = new PostgreSqlTaskSource(ConnectionStringOf(section));
        await source.ExecuteScriptAsync(script, ct).ConfigureAwait(false);
        return source.Target;
    }

    private static string ConnectionStringOf(IConfigurationSection section) =>
        ConfigurationReader.ConnectionString(section, "PostgreSQL", "Host=127.0.0.1;Port=5432;Username=rag_flow;Password=...;Database=rag_flow", s => PostgreSqlConnectionErrors.Describe(s));
}
