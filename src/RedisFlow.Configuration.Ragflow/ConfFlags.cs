namespace RedisFlow.Configuration.Ragflow;

/// <summary>Top-level switches of <c>service_conf.yaml</c> that change how sections are read.</summary>
internal static class ConfFlags
{
    /// <summary>
    /// RAGFlow's <c>encrypt_password</c>: database and MinIO passwords are stored encrypted and decrypted by the
    /// Python function that <c>encrypt_module</c> names, with <c>private_key</c>. RedisFlow cannot run that function.
    /// </summary>
    public static bool EncryptedPasswords(IReadOnlyDictionary<string, object?> conf) =>
        conf.TryGetValue("encrypt_password", out var value) && value is string text
        && text.Trim().ToLowerInvariant() is "true" or "1" or "yes" or "on";

    /// <summary>
    /// Leaves <paramref name="setting"/> out and lists it under <see cref="RagflowSettings.UnresolvedSection"/>, so that
    /// an explicit setting can still supply it and <see cref="RagflowSettings.ThrowIfUnresolved"/> says why otherwise.
    /// </summary>
    public static void MarkEncrypted(Dictionary<string, string?> values, string setting)
    {
        var variable = setting.Replace(":", "__", StringComparison.Ordinal);
        values[$"{RagflowSettings.UnresolvedSection}:{variable}"] =
            $"is stored encrypted in service_conf.yaml (encrypt_password: true); RAGFlow decrypts it with the Python function named by encrypt_module, which RedisFlow cannot run. Give the plain value through this setting (for example the environment variable {variable}), or turn encrypt_password off.";
    }
}
