using Microsoft.Extensions.Configuration;

namespace RedisFlow.Storage.Encryption;

/// <summary>
/// How RAGFlow encrypts what it stores: <c>Storage:Encryption:Enabled|Algorithm|Key</c>, or RAGFlow's own environment
/// variables <c>RAGFLOW_CRYPTO_ENABLED</c>, <c>RAGFLOW_CRYPTO_ALGORITHM</c> and <c>RAGFLOW_CRYPTO_KEY</c> (the explicit
/// settings win).
/// </summary>
public sealed class RagflowCryptoOptions
{
    /// <summary>The configuration section, <c>Storage:Encryption</c>.</summary>
    public const string SectionName = "Storage:Encryption";

    /// <summary>The algorithms RAGFlow offers.</summary>
    public static IReadOnlyList<string> Algorithms { get; } = ["aes-256-cbc", "aes-128-cbc", "sm4-cbc"];

    /// <summary>Whether stored files may be encrypted (RAGFlow's <c>RAGFLOW_CRYPTO_ENABLED=true</c>).</summary>
    public bool Enabled { get; set; }

    /// <summary>One of <see cref="Algorithms"/>; RAGFlow's default is <c>aes-256-cbc</c>.</summary>
    public string Algorithm { get; set; } = "aes-256-cbc";

    /// <summary>The key text (RAGFlow derives the cipher key from it with PBKDF2). Never logged.</summary>
    public string? Key { get; set; }

    /// <summary>Reads the options from <paramref name="configuration"/> (the root), section first, then RAGFlow's variables.</summary>
    public static RagflowCryptoOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        string? Setting(string name, string ragflowVariable) =>
            section[name] ?? configuration[ragflowVariable] ?? Environment.GetEnvironmentVariable(ragflowVariable);

        var enabled = Setting("Enabled", "RAGFLOW_CRYPTO_ENABLED");
        return new RagflowCryptoOptions
        {
            Enabled = enabled is not null && enabled.Trim().Equals("true", StringComparison.OrdinalIgnoreCase),
            Algorithm = Setting("Algorithm", "RAGFLOW_CRYPTO_ALGORITHM") is { Length: > 0 } algorithm ? algorithm.Trim().ToLowerInvariant() : "aes-256-cbc",
            Key = Setting("Key", "RAGFLOW_CRYPTO_KEY"),
        };
    }

    /// <summary>Checks the settings when enabled.</summary>
    /// <exception cref="RedisFlowConfigurationException">A setting is missing or unknown; the key is never quoted.</exception>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        if (!Algorithms.Contains(Algorithm, StringComparer.Ordinal))
        {
            throw new RedisFlowConfigurationException($"{SectionName}:Algorithm",
                $"is '{Algorithm}', which RAGFlow does not offer (RAGFLOW_CRYPTO_ALGORITHM): use one of {string.Join(", ", Algorithms)}.");
        }

        if (string.IsNullOrEmpty(Key))
        {
            throw new RedisFlowConfigurationException($"{SectionName}:Key",
                "is missing while encryption is enabled: give the key RAGFlow encrypts with (RAGFLOW_CRYPTO_KEY).");
        }
    }
}
