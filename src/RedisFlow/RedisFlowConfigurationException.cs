namespace RedisFlow;

/// <summary>A setting is missing or wrong. The message names the setting and how to fix it; it never holds a secret.</summary>
public sealed class RedisFlowConfigurationException : Exception
{
    /// <summary>Creates the exception for <paramref name="setting"/>.</summary>
    public RedisFlowConfigurationException(string setting, string problem)
        : base($"Configuration setting '{setting}' {problem}")
    {
        Setting = setting;
        Data["Setting"] = setting;
    }

    /// <summary>Creates the exception for <paramref name="setting"/> with the underlying cause.</summary>
    public RedisFlowConfigurationException(string setting, string problem, Exception inner)
        : base($"Configuration setting '{setting}' {problem}", inner)
    {
        Setting = setting;
        Data["Setting"] = setting;
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public RedisFlowConfigurationException()
        : base("Invalid RedisFlow configuration.")
    {
        Setting = string.Empty;
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public RedisFlowConfigurationException(string message)
        : base(message)
    {
        Setting = string.Empty;
    }

    /// <summary>Creates the exception with a plain message and cause.</summary>
    public RedisFlowConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
        Setting = string.Empty;
    }

    /// <summary>The configuration path of the bad setting, for example <c>Redis:Host</c>.</summary>
    public string Setting { get; }
}
