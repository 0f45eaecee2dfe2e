namespace RedisFlow.Configuration.Ragflow;

/// <summary>One top-level section of <c>service_conf.yaml</c> (<c>redis</c>, <c>mysql</c>, ...), read by setting name.</summary>
internal sealed class ConfSection(string name, IReadOnlyDictionary<string, object?> values)
{
    public string Name { get; } = name;

    public static ConfSection? Find(IReadOnlyDictionary<string, object?> conf, string name) =>
        conf.TryGetValue(name, out var value) && value is IReadOnlyDictionary<string, object?> map ? new ConfSection(name, map) : null;

    /// <summary>The value, or null when absent or empty; a nested mapping is an error naming the setting.</summary>
    public string? Get(string key)
    {
        if (!values.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        if (value is not string text)
        {
            throw new RedisFlowConfigurationException(Path(key), "is a mapping or a list; RedisFlow expects a single value there.");
        }

        return text.Length == 0 ? null : text;
    }

    public string Required(string key, string why) =>
        Get(key) ?? throw new RedisFlowConfigurationException(Path(key), $"is not set in service_conf.yaml; {why}");

    /// <summary>YAML's and Python's truthy spellings, as RAGFlow compares them (<c>true</c>, <c>1</c>, ...).</summary>
    public bool? Flag(string key) => Get(key)?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new RedisFlowConfigurationException(Path(key), "is neither true nor false."),
    };

    public string Path(string key) => $"{Name}.{key}";
}
