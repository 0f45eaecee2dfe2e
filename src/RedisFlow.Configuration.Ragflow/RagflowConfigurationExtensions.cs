using Microsoft.Extensions.Configuration;

namespace RedisFlow.Configuration.Ragflow;

/// <summary>Adds a RAGFlow deployment's configuration file to a configuration builder.</summary>
public static class RagflowConfigurationExtensions
{
    /// <summary>
    /// Adds RAGFlow's <c>service_conf.yaml</c> at <paramref name="path"/>, read with RAGFlow's environment
    /// (<c>DB_TYPE</c>, <c>STORAGE_IMPL</c>, the template's variables) into <c>Redis:*</c>, <c>TaskSource:*</c> and
    /// <c>Storage:*</c>. Add it first: sources added after it (JSON files, environment variables, flags) win, so an
    /// explicit setting always overrides the file. Call <see cref="RagflowSettings.ThrowIfUnresolved"/> on the built
    /// configuration to report a password the file keeps encrypted.
    /// </summary>
    /// <exception cref="RedisFlowConfigurationException">When the configuration is built: the file is unreadable or names something RedisFlow cannot serve.</exception>
    public static IConfigurationBuilder AddRagflowServiceConf(this IConfigurationBuilder builder, string path, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.Add(new RagflowConfigurationSource { Path = path, Environment = environment });
    }
}
