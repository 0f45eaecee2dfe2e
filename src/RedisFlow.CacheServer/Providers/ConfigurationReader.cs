using Microsoft.Extensions.Configuration;

namespace RedisFlow.CacheServer.Providers;

/// <summary>Reads settings of a provider's section, turning binder failures into errors that name the setting.</summary>
public static class ConfigurationReader
{
    /// <summary>The value of <paramref name="name"/> in <paramref name="section"/>; throws naming the setting when missing.</summary>
    /// <exception cref="RedisFlowConfigurationException">The setting is missing or blank.</exception>
    public static string Required(IConfigurationSection section, string name, string hint)
    {
        ArgumentNullException.ThrowIfNull(section);
        var value = section[name];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new RedisFlowConfigurationException($"{section.Path}:{name}", $"is not set; {hint}");
        }

        return value;
    }

    /// <summary>Binds <paramref name="section"/> onto a new <typeparamref name="T"/>; a value of the wrong type names its setting.</summary>
    /// <exception cref="RedisFlowConfigurationException">A value cannot be converted.</exception>
    public static T Bind<T>(IConfigurationSection section)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(section);
        var options = new T();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message holds the path of the bad value, for example 'Cache:Ttl'.
            throw new RedisFlowConfigurationException(section.Path, $"could not be read: {ex.Message}", ex);
        }

        return options;
    }
}
