using Microsoft.Extensions.Configuration;

namespace RedisFlow.CacheServer.Providers;

/// <summary>
/// Builds the <see cref="Tasks.ITaskSource"/> named by <c>TaskSource:Provider</c>. One implementation per provider
/// project (sqlite, mysql, postgres), registered with one line such as <c>services.AddSqliteTaskSource()</c>.
/// </summary>
public interface ITaskSourceFactory
{
    /// <summary>The value of <c>TaskSource:Provider</c> this factory answers to (compared case-insensitively).</summary>
    string Provider { get; }

    /// <summary>
    /// Creates the task source from the <c>TaskSource</c> configuration section (<c>ConnectionString</c> and any
    /// provider-specific settings).
    /// </summary>
    /// <exception cref="RedisFlowConfigurationException">A setting is missing or invalid; the message names it, for example <c>TaskSource:ConnectionString</c>.</exception>
    Tasks.ITaskSource Create(IConfigurationSection section, IServiceProvider services);

    /// <summary>
    /// Runs a setup script on the database of the <c>TaskSource</c> section, opened as the task source opens it (a
    /// SQLite file and its folder are made when missing): <c>redisflow db init</c> creates RAGFlow's tables with it,
    /// in this provider's SQL.
    /// </summary>
    /// <returns>Where it ran: a file, or server, database and user; never a password.</returns>
    /// <exception cref="RedisFlowConfigurationException">A setting is missing or invalid.</exception>
    /// <exception cref="Tasks.TaskSourceUnavailableException">The database cannot be reached or refuses the credentials.</exception>
    Task<string> RunScriptAsync(IConfigurationSection section, string script, CancellationToken ct);
}
