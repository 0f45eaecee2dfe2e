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

    /// <summary>
    /// The section's <c>ConnectionString</c>, required and checked by <paramref name="parse"/>, which throws
    /// <see cref="ArgumentException"/> naming the bad keyword (never the string: it holds the password).
    /// </summary>
    /// <param name="section">The provider's section.</param>
    /// <param name="kind">What the string is for, in the messages, for example "MySQL/MariaDB".</param>
    /// <param name="example">An example string for the "not set" message.</param>
    /// <param name="parse">The driver's parser.</param>
    /// <exception cref="RedisFlowConfigurationException">The setting is missing or does not parse.</exception>
    public static string ConnectionString(IConfigurationSection section, string kind, string example, Action<string> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var connectionString = Required(section, "ConnectionString", $"give a {kind} connection string, for example '{example}'.");
        try
        {
            parse(connectionString);
            return connectionString;
        }
        catch (ArgumentException ex)
        {
            throw new RedisFlowConfigurationException($"{section.Path}:ConnectionString", $"is not a valid {kind} connection string: {ex.Message}", ex);
        }
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
