namespace RedisFlow.Configuration.Ragflow;

internal static class SettingValues
{
    /// <summary>Sets <paramref name="key"/> only when the file gave a value, so RedisFlow's own default stays otherwise.</summary>
    public static void SetIfPresent(this Dictionary<string, string?> values, string key, string? value)
    {
        if (value is not null)
        {
            values[key] = value;
        }
    }
}
